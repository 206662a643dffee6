using System.Net;
using System.Text.Json;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>Assertions on the API's problem responses.</summary>
public static class ApiAssert
{
    /// <summary>Checks the status and that the body is a problem naming <paramref name="field"/>; returns the problem.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("field").GetString());
        }

        return problem;
    }

    /// <summary>A minimal valid create body with an HTTP target.</summary>
    public static string JobBody(string targetUrl, string name = "job", string schedule = "0 0 1 1 *") => $$$"""
        {"name": "{{{name}}}", "type": "RECURRING", "scheduleExpression": "{{{schedule}}}", "target": {"type": "HTTP", "url": "{{{targetUrl}}}"}}
        """;
}

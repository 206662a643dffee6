using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JobScheduler.Recovery.Tests;

/// <summary>REST calls the process-level tests share: a job that calls a slow target and retries, and its statuses.</summary>
public static class SlowJobApi
{
    /// <summary>Creates a job that runs only when executed, calls <paramref name="url"/> and retries twice, 1 s apart.</summary>
    public static async Task<string> CreateAsync(HttpClient http, string name, string url)
    {
        var body = JsonSerializer.Serialize(new
        {
            name,
            type = "RECURRING",
            scheduleExpression = "0 0 1 1 *",
            target = new { type = "HTTP", url, timeoutSeconds = 60 },
            retryPolicy = new { maxRetries = 2, retryInterval = 1, jitter = 0 },
        });
        using var response = await http.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetString()!;
    }

    /// <summary>Returns the statuses of the job's executions, newest first.</summary>
    public static async Task<List<string>> StatusesAsync(HttpClient http, string jobId)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}/executions");
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("status").GetString()!).ToList();
    }
}

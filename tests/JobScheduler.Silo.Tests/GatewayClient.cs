using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace JobScheduler.Silo.Tests;

/// <summary>Small helpers over the gateway's JSON API.</summary>
public static class GatewayClient
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    /// <summary>Creates a job and returns its id; fails the test unless the answer is 201.</summary>
    public static async Task<string> CreateJobAsync(this HttpClient http, string json)
    {
        using var response = await http.PostJsonAsync("/api/v1/jobs", json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetString()!;
    }

    public static string String(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}

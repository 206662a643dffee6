using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// Two users with their own tokens: every endpoint returns for another user's job or execution the same
/// 404 as for an id that does not exist, never 403, and changes nothing.
/// </summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class TenantIsolationTests(TenantGatewayFixture fixture)
{
    private const string UnknownJob = "job_01M91F24VAC2ZYEW62JTYPTZV7";

    [Fact]
    public async Task OtherUser_Gets404OnEveryJobEndpoint()
    {
        var alice = fixture.For("alice-isolation");
        var bob = fixture.For("bob-isolation");
        var jobId = await alice.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/isolation", "alice-job"));
        var body = ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/isolation", "stolen");

        foreach (var (method, path, content) in JobRequests(jobId, body))
        {
            using var foreign = await SendAsync(bob, method, path, content, ifMatch: "\"99\"");
            using var unknown = await SendAsync(bob, method, path.Replace(jobId, UnknownJob, StringComparison.Ordinal), content, ifMatch: "\"99\"");

            var foreignProblem = await ApiAssert.ProblemAsync(foreign, HttpStatusCode.NotFound, "jobId");
            var unknownProblem = await ApiAssert.ProblemAsync(unknown, HttpStatusCode.NotFound, "jobId");
            Assert.Equal($"Job {jobId} was not found.", foreignProblem.GetProperty("detail").GetString());
            Assert.Equal(unknownProblem.GetProperty("detail").GetString()!.Replace(UnknownJob, jobId, StringComparison.Ordinal), foreignProblem.GetProperty("detail").GetString());
            Assert.Equal(unknownProblem.GetProperty("title").GetString(), foreignProblem.GetProperty("title").GetString());
        }

        using var read = await alice.GetAsync($"/api/v1/jobs/{jobId}");
        var job = await read.ReadJsonAsync();
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("alice-job", job.String("name"));
        Assert.Equal("ACTIVE", job.String("status"));
        var executions = await alice.GetJsonAsync($"/api/v1/jobs/{jobId}/executions");
        Assert.Empty(executions.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task OtherUser_Gets404ForExecution()
    {
        var alice = fixture.For("alice-executions");
        var bob = fixture.For("bob-executions");
        var jobId = await alice.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/isolation-run"));
        using var started = await alice.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        var executionId = (await started.ReadJsonAsync()).String("executionId");

        using var foreign = await bob.GetAsync($"/api/v1/executions/{executionId}");
        using var anonymous = await fixture.Anonymous.GetAsync($"/api/v1/executions/{executionId}");

        var problem = await ApiAssert.ProblemAsync(foreign, HttpStatusCode.NotFound, "executionId");
        Assert.Equal($"Execution {executionId} was not found.", problem.GetProperty("detail").GetString());
        await ApiAssert.ProblemAsync(anonymous, HttpStatusCode.NotFound, "executionId");
        var own = await alice.GetJsonAsync($"/api/v1/executions/{executionId}");
        Assert.Equal(jobId, own.String("jobId"));
    }

    [Fact]
    public async Task Listing_ShowsOnlyOwnJobs()
    {
        var alice = fixture.For("alice-list");
        var bob = fixture.For("bob-list");
        var aliceJob = await alice.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/list", "shared-name"));
        var bobJob = await bob.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/list", "shared-name"));

        var aliceIds = Ids(await alice.GetJsonAsync("/api/v1/jobs?name=shared"));
        var bobIds = Ids(await bob.GetJsonAsync("/api/v1/jobs?name=shared"));

        Assert.Equal([aliceJob], aliceIds);
        Assert.Equal([bobJob], bobIds);
    }

    [Fact]
    public async Task IdempotencyKeys_ArePerUser()
    {
        var alice = fixture.For("alice-keys");
        var bob = fixture.For("bob-keys");
        var body = ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/keys");

        var aliceJob = await PostWithKeyAsync(alice, body, "same-key-for-both");
        var bobJob = await PostWithKeyAsync(bob, body, "same-key-for-both");

        Assert.NotEqual(aliceJob, bobJob);
        Assert.Equal([bobJob], Ids(await bob.GetJsonAsync("/api/v1/jobs")));
    }

    [Fact]
    public async Task AnonymousDevUser_CannotSeeTokenUsersJobs()
    {
        var alice = fixture.For("alice-dev");
        var jobId = await alice.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/dev"));

        using var response = await fixture.Anonymous.GetAsync($"/api/v1/jobs/{jobId}");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound, "jobId");
    }

    private static IEnumerable<(HttpMethod Method, string Path, string? Body)> JobRequests(string jobId, string body) =>
    [
        (HttpMethod.Get, $"/api/v1/jobs/{jobId}", null),
        (HttpMethod.Put, $"/api/v1/jobs/{jobId}", body),
        (HttpMethod.Delete, $"/api/v1/jobs/{jobId}", null),
        (HttpMethod.Post, $"/api/v1/jobs/{jobId}/pause", null),
        (HttpMethod.Post, $"/api/v1/jobs/{jobId}/resume", null),
        (HttpMethod.Post, $"/api/v1/jobs/{jobId}/execute", null),
        (HttpMethod.Get, $"/api/v1/jobs/{jobId}/executions", null),
    ];

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null && method != HttpMethod.Get && !path.EndsWith("/execute", StringComparison.Ordinal))
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await client.SendAsync(request);
    }

    private static async Task<string> PostWithKeyAsync(HttpClient client, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).String("jobId");
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.String("jobId")).ToList();
}

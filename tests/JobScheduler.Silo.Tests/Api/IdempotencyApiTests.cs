using System.Net;
using System.Security.Cryptography;
using System.Text;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>The Idempotency-Key header on create and execute-now.</summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class IdempotencyApiTests(TenantGatewayFixture fixture)
{
    [Fact]
    public async Task RepeatedCreate_ReturnsFirstResponseAndCreatesOnce()
    {
        var http = fixture.For("idempotent-create");
        var body = ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/idempotent", "once-only");

        using var first = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", body, "create-7f3a");
        using var second = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", body, "create-7f3a");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var listed = (await http.GetJsonAsync("/api/v1/jobs")).GetProperty("items").EnumerateArray().ToList();
        Assert.Single(listed);
    }

    [Fact]
    public async Task KeyReusedForOtherBody_Returns422()
    {
        var http = fixture.For("idempotent-mismatch");
        using var first = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/a", "a"), "reused");

        using var second = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/b", "b"), "reused");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ApiAssert.ProblemAsync(second, HttpStatusCode.UnprocessableEntity, "Idempotency-Key");
    }

    [Fact]
    public async Task RejectedRequest_IsNotStored()
    {
        var http = fixture.For("idempotent-retry");
        var bad = """{"name": "x", "type": "RECURRING", "scheduleExpression": "0 0 30 2 *", "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}""";

        using var rejected = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", bad, "fix-and-retry");
        using var again = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", bad, "fix-and-retry");

        await ApiAssert.ProblemAsync(rejected, HttpStatusCode.BadRequest, "scheduleExpression");
        await ApiAssert.ProblemAsync(again, HttpStatusCode.BadRequest, "scheduleExpression");
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task RepeatedExecute_StartsOneExecution()
    {
        var http = fixture.For("idempotent-execute");
        var jobId = await http.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/idempotent-run"));

        using var first = await SendAsync(http, HttpMethod.Post, $"/api/v1/jobs/{jobId}/execute", null, "run-1");
        using var second = await SendAsync(http, HttpMethod.Post, $"/api/v1/jobs/{jobId}/execute", null, "run-1");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var executionId = (await first.ReadJsonAsync()).String("executionId");
        Assert.Equal(executionId, (await second.ReadJsonAsync()).String("executionId"));
        Assert.Equal($"/api/v1/executions/{executionId}", second.Headers.Location?.OriginalString);
        await Eventually.HoldsAsync(() => fixture.Receiver.CallsTo("/ok/idempotent-run").Count(c => c.Header("JobScheduler-Job-Id") == jobId) == 1, "one call");
        await Task.Delay(300);
        Assert.Single(fixture.Receiver.CallsTo("/ok/idempotent-run"), c => c.Header("JobScheduler-Job-Id") == jobId);
        Assert.Single((await http.GetJsonAsync($"/api/v1/jobs/{jobId}/executions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task RepeatAfterCutOffCreate_ReturnsSameJob()
    {
        const string user = "idempotent-cut-off";
        const string key = "cut-off-4d1e";
        var http = fixture.For(user);
        var url = $"{fixture.Receiver.BaseUrl}/ok/cut-off";
        var body = ApiAssert.JobBody(url, "cut-off");

        // A first try claimed the key 3 minutes ago and created its job; its silo died before the response was stored.
        var firstClaim = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds());
        await MemoryStores.IdempotencyKeys.SaveAsync(user, key, new IdempotencyRecord(Fingerprint("POST /api/v1/jobs", body), firstClaim, null));
        var jobId = JobIds.JobIdForIdempotencyKey(user, key, firstClaim);
        var created = await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(user, new JobDefinition
        {
            Name = "cut-off",
            Type = JobType.Recurring,
            ScheduleExpression = "0 0 1 1 *",
            Target = new TargetDefinition { Type = TargetType.Http, Url = url },
        });
        Assert.True(created.IsSuccess);

        using var repeat = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", body, key);

        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(jobId, (await repeat.ReadJsonAsync()).String("jobId"));
        var listed = (await http.GetJsonAsync("/api/v1/jobs")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(jobId, Assert.Single(listed).GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task RepeatWhileFirstTryRuns_ReturnsSameJob()
    {
        const string user = "idempotent-in-progress";
        const string key = "in-progress-91c2";
        var http = fixture.For(user);
        var body = ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/in-progress", "in-progress");

        // A first try claimed the key a second ago and has not finished: its silo may be hung.
        var firstClaim = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());
        await MemoryStores.IdempotencyKeys.SaveAsync(user, key, new IdempotencyRecord(Fingerprint("POST /api/v1/jobs", body), firstClaim, null));

        using var repeat = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", body, key);
        using var replay = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", body, key);

        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        var jobId = JobIds.JobIdForIdempotencyKey(user, key, firstClaim);
        Assert.Equal(jobId, (await repeat.ReadJsonAsync()).String("jobId"));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var listed = (await http.GetJsonAsync("/api/v1/jobs")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(jobId, Assert.Single(listed).GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task ExecuteRepeatWhileFirstTryRuns_Returns409()
    {
        const string user = "idempotent-execute-in-progress";
        const string key = "run-in-progress";
        var http = fixture.For(user);
        var jobId = await http.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/execute-in-progress"));
        var path = $"/api/v1/jobs/{jobId}/execute";
        await MemoryStores.IdempotencyKeys.SaveAsync(user, key, new IdempotencyRecord(Fingerprint($"POST {path}", ""), DateTimeOffset.UtcNow, null));

        using var repeat = await SendAsync(http, HttpMethod.Post, path, null, key);

        await ApiAssert.ProblemAsync(repeat, HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Empty((await http.GetJsonAsync($"/api/v1/jobs/{jobId}/executions")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345")]
    public async Task InvalidKey_Returns400(string key)
    {
        var http = fixture.For("idempotent-invalid");

        using var response = await SendAsync(http, HttpMethod.Post, "/api/v1/jobs", ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/x"), key);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key");
        Assert.Empty((await http.GetJsonAsync("/api/v1/jobs")).GetProperty("items").EnumerateArray());
    }

    /// <summary>The gateway's request fingerprint: SHA-256 of the method and path line, then the body, in hex.</summary>
    private static string Fingerprint(string requestLine, string body) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{requestLine}\n{body}")));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? body, string key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await http.SendAsync(request);
    }
}

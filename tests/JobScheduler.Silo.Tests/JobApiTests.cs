using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace JobScheduler.Silo.Tests;

/// <summary>The jobs and executions API over real HTTP, calling a real HTTP target on loopback.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class JobApiTests(GatewayFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex UtcInstantWithMilliseconds();

    [Fact]
    public async Task CreateJob_Returns201WithLocationAndJob()
    {
        var json = $$$"""
            {"name": "daily-report", "type": "RECURRING", "scheduleExpression": "0 0 * * *", "timeZone": "Europe/Berlin",
             "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}/ok/create", "method": "POST", "headers": {"X-Team": "sales"}, "timeoutSeconds": 30},
             "payload": {"report": "sales"}, "retryPolicy": {"maxRetries": 3, "retryInterval": 300}, "priority": "HIGH"}
            """;

        using var response = await Http.PostJsonAsync("/api/v1/jobs", json);
        var job = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var jobId = job.String("jobId");
        Assert.StartsWith("job_", jobId);
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.OriginalString);
        Assert.Equal("dev", job.String("userId"));
        Assert.Equal("daily-report", job.String("name"));
        Assert.Equal("RECURRING", job.String("type"));
        Assert.Equal("ACTIVE", job.String("status"));
        Assert.Equal("HIGH", job.String("priority"));
        Assert.Equal("Europe/Berlin", job.String("timeZone"));
        Assert.Equal("sales", job.GetProperty("payload").GetProperty("report").GetString());
        Assert.Equal("sales", job.GetProperty("target").GetProperty("headers").GetProperty("X-Team").GetString());
        Assert.Matches(UtcInstantWithMilliseconds(), job.String("createdAt"));
        var next = DateTimeOffset.Parse(job.String("nextExecutionAt"), CultureInfo.InvariantCulture);
        Assert.Equal(0, next.ToOffset(TimeSpan.FromHours(1)).Minute);

        var read = await Http.GetJsonAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal(jobId, read.String("jobId"));
        Assert.Equal(job.String("nextExecutionAt"), read.String("nextExecutionAt"));
    }

    [Fact]
    public async Task RecurringJob_CallsTargetEverySecond()
    {
        var jobId = await Http.CreateJobAsync($$$"""
            {"name": "tick", "type": "RECURRING", "scheduleExpression": "*/1 * * * * *", "maxExecutions": 3,
             "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}/ok/tick"}, "payload": {"n": 1}}
            """);

        await Eventually.HoldsAsync(() => fixture.Receiver.CallsTo("/ok/tick").Count(c => c.Header("JobScheduler-Job-Id") == jobId) == 3, "three calls");

        var calls = fixture.Receiver.CallsTo("/ok/tick").Where(c => c.Header("JobScheduler-Job-Id") == jobId).ToList();
        var keys = calls.Select(c => c.Header("Idempotency-Key")).ToList();
        Assert.Equal(3, keys.Distinct().Count());
        var instants = keys.Select(k => long.Parse(k[(jobId.Length + 1)..], CultureInfo.InvariantCulture)).ToList();
        Assert.All(instants, ms => Assert.Equal(0, ms % 1000));
        Assert.Equal([1000, 1000], instants.Zip(instants.Skip(1), (a, b) => b - a).ToList());
        Assert.All(calls, c => Assert.Equal("1", c.Header("JobScheduler-Attempt")));
        Assert.All(calls, c => Assert.StartsWith($"exe_{jobId[4..]}_", c.Header("JobScheduler-Execution-Id")));
        Assert.All(calls, c => Assert.Equal("""{"n": 1}""", c.Body));
        Assert.All(calls, c => Assert.StartsWith("application/json", c.Header("Content-Type")));

        await Eventually.HoldsAsync(async () => (await Http.GetJsonAsync($"/api/v1/jobs/{jobId}")).String("status") == "COMPLETED", "job completed");
        var history = await Http.GetJsonAsync($"/api/v1/jobs/{jobId}/executions");
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, e => Assert.Equal("SUCCEEDED", e.String("status")));
        Assert.All(items, e => Assert.Equal("SCHEDULE", e.String("trigger")));
        Assert.All(items, e => Assert.Equal(200, e.GetProperty("responseStatusCode").GetInt32()));
        Assert.All(items, e => Assert.Equal("done", e.GetProperty("responseBody").GetString()));
        Assert.All(items, e => Assert.EndsWith(".000Z", e.String("scheduledAt")));
        var scheduled = items.Select(e => e.String("scheduledAt")).ToList();
        Assert.Equal(scheduled.OrderDescending(StringComparer.Ordinal).ToList(), scheduled);
        Assert.Equal(JsonValueKind.Null, history.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ExecuteNow_Returns202AndSucceeds()
    {
        var jobId = await Http.CreateJobAsync($$$"""
            {"name": "manual", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *", "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}/ok/manual", "headers": {"Content-Type": "application/vnd.report+json"}}, "payload": {"n": 2}}
            """);

        using var response = await Http.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        var executionId = (await response.ReadJsonAsync()).String("executionId");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.HoldsAsync(async () => (await Http.GetJsonAsync($"/api/v1/executions/{executionId}")).String("status") == "SUCCEEDED", "execution succeeded");
        var execution = await Http.GetJsonAsync($"/api/v1/executions/{executionId}");
        Assert.Equal(jobId, execution.String("jobId"));
        Assert.Equal("MANUAL", execution.String("trigger"));
        Assert.Equal(1, execution.GetProperty("attemptNumber").GetInt32());
        Assert.Equal($"{jobId}:manual:{executionId}", execution.String("idempotencyKey"));
        Assert.True(execution.GetProperty("durationMs").GetInt64() >= 0);
        var call = Assert.Single(fixture.Receiver.CallsTo("/ok/manual"), c => c.Header("JobScheduler-Job-Id") == jobId);
        Assert.Equal(executionId, call.Header("JobScheduler-Execution-Id"));
        Assert.Equal("application/vnd.report+json", call.Header("Content-Type"));
    }

    [Fact]
    public async Task OneTimeJob_CallsTargetExactlyOnce()
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        var jobId = await Http.CreateJobAsync($$$"""
            {"name": "once", "type": "ONE_TIME", "scheduleExpression": "{{{due:yyyy-MM-ddTHH:mm:ss.fffZ}}}", "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}/ok/once"}}
            """);

        await Eventually.HoldsAsync(async () => (await Http.GetJsonAsync($"/api/v1/jobs/{jobId}")).String("status") == "COMPLETED", "job completed");
        await Task.Delay(1500);

        var call = Assert.Single(fixture.Receiver.CallsTo("/ok/once"), c => c.Header("JobScheduler-Job-Id") == jobId);
        Assert.Equal($"{jobId}:{due.ToUnixTimeMilliseconds()}", call.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task FailingTarget_RecordsStatusCodeAndBody()
    {
        var jobId = await Http.CreateJobAsync($$$"""
            {"name": "failing", "type": "RECURRING", "scheduleExpression": "0 0 1 1 *", "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}/fail/now"}}
            """);

        using var response = await Http.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        var executionId = (await response.ReadJsonAsync()).String("executionId");

        await Eventually.HoldsAsync(async () => (await Http.GetJsonAsync($"/api/v1/executions/{executionId}")).String("status") == "FAILED", "execution failed");
        var execution = await Http.GetJsonAsync($"/api/v1/executions/{executionId}");
        Assert.Equal(500, execution.GetProperty("responseStatusCode").GetInt32());
        Assert.Equal("The target answered HTTP 500: boom", execution.String("error"));
        Assert.Equal("boom", execution.String("responseBody"));
    }
}

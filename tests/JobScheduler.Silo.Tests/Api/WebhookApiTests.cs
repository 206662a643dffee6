using System.Net;
using System.Text.Json;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// The webhook endpoints over real HTTP: the signing secret, its rotation, and a job's delivery log, with
/// deliveries to a real receiver on loopback that checks every signature with the secret from the API.
/// </summary>
[Collection(WebhookGatewayCollection.Name)]
public sealed class WebhookApiTests(WebhookGatewayFixture fixture)
{
    private const string UnknownJob = "job_01M91F24VAC2ZYEW62JTYPTZV7";

    [Fact]
    public async Task Secret_IsCreatedOnFirstGetAndKept()
    {
        var alice = fixture.For("alice-secret");

        var first = await alice.GetJsonAsync("/api/v1/webhook-secret");
        var second = await alice.GetJsonAsync("/api/v1/webhook-secret");
        var other = await fixture.For("bob-secret").GetJsonAsync("/api/v1/webhook-secret");

        Assert.StartsWith("whsec_", first.String("secret"));
        Assert.Equal("whsec_".Length + 43, first.String("secret").Length);
        Assert.Equal(first.String("secret"), second.String("secret"));
        Assert.Equal(first.String("createdAt"), second.String("createdAt"));
        Assert.EndsWith("Z", first.String("createdAt"));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("previousSecretExpiresAt").ValueKind);
        Assert.NotEqual(first.String("secret"), other.String("secret"));
    }

    [Fact]
    public async Task Rotate_KeepsOldSecretFor24Hours()
    {
        var alice = fixture.For("alice-rotate");
        var before = await alice.GetJsonAsync("/api/v1/webhook-secret");

        using var response = await alice.PostAsync("/api/v1/webhook-secret/rotate", null);
        var rotated = await response.ReadJsonAsync();
        var after = await alice.GetJsonAsync("/api/v1/webhook-secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(before.String("secret"), rotated.String("secret"));
        Assert.Equal(rotated.String("secret"), after.String("secret"));
        var createdAt = DateTimeOffset.Parse(rotated.String("createdAt"), System.Globalization.CultureInfo.InvariantCulture);
        var expiresAt = DateTimeOffset.Parse(rotated.String("previousSecretExpiresAt"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(24), expiresAt - createdAt);
    }

    [Fact]
    public async Task Deliveries_AreSignedWithApiSecretAndListed()
    {
        var alice = fixture.For("alice-deliveries");
        var secret = (await alice.GetJsonAsync("/api/v1/webhook-secret")).String("secret");
        var path = WebhookReceiver.NewPath();
        fixture.Webhooks.Respond(path, 500, 503);
        var jobId = await alice.CreateJobAsync(JobWithWebhook($"{fixture.Receiver.BaseUrl}/ok/deliveries", fixture.Webhooks.Url(path), "0 0 1 1 *"));

        using var started = await alice.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        await Eventually.HoldsAsync(() => fixture.Webhooks.CallsTo(path).Count == 3, "three deliveries");
        await Eventually.HoldsAsync(async () => (await ListAsync(alice, jobId, "")).Count == 3, "three listed attempts");

        var calls = fixture.Webhooks.CallsTo(path);
        Assert.All(calls, call => Assert.True(
            ReceiverSignature.Verifies(call.Header("JobScheduler-Signature"), call.Body, secret),
            $"signature {call.Header("JobScheduler-Signature")} verifies with the API's secret"));
        var eventId = Assert.Single(calls.Select(call => call.Header("JobScheduler-Event-Id")).Distinct());

        var items = await ListAsync(alice, jobId, "");
        Assert.Equal([3, 2, 1], items.Select(item => item.GetProperty("attemptNumber").GetInt32()).ToList());
        Assert.Equal([200, 503, 500], items.Select(item => item.GetProperty("statusCode").GetInt32()).ToList());
        Assert.Equal(["SUCCEEDED", "FAILED", "FAILED"], items.Select(item => item.String("status")).ToList());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("error").ValueKind);
        Assert.Equal("The receiver responded with HTTP 503.", items[1].String("error"));
        Assert.All(items, item => Assert.Equal(eventId, item.String("eventId")));
        Assert.All(items, item => Assert.Equal("SUCCEEDED", item.String("eventType")));
        Assert.All(items, item => Assert.Equal(fixture.Webhooks.Url(path), item.String("url")));
        Assert.All(items, item => Assert.StartsWith("whd_", item.String("deliveryId")));
    }

    [Fact]
    public async Task Deliveries_PageWithCursor()
    {
        var alice = fixture.For("alice-paging");
        var path = WebhookReceiver.NewPath();
        fixture.Webhooks.Respond(path, 500, 500);
        var jobId = await alice.CreateJobAsync(JobWithWebhook($"{fixture.Receiver.BaseUrl}/ok/paging", fixture.Webhooks.Url(path), "0 0 1 1 *"));
        using var started = await alice.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        await Eventually.HoldsAsync(async () => (await ListAsync(alice, jobId, "")).Count == 3, "three listed attempts");

        var first = await alice.GetJsonAsync($"/api/v1/jobs/{jobId}/webhook-deliveries?limit=2");
        var cursor = first.String("nextCursor");
        var second = await alice.GetJsonAsync($"/api/v1/jobs/{jobId}/webhook-deliveries?limit=2&cursor={cursor}");

        Assert.Equal([3, 2], first.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("attemptNumber").GetInt32()).ToList());
        Assert.Equal([1], second.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("attemptNumber").GetInt32()).ToList());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Deliveries_OfOtherUsersJobAre404()
    {
        var alice = fixture.For("alice-foreign");
        var bob = fixture.For("bob-foreign");
        var jobId = await alice.CreateJobAsync(JobWithWebhook($"{fixture.Receiver.BaseUrl}/ok/foreign", fixture.Webhooks.Url(WebhookReceiver.NewPath()), "0 0 1 1 *"));

        using var foreign = await bob.GetAsync($"/api/v1/jobs/{jobId}/webhook-deliveries");
        using var unknown = await bob.GetAsync($"/api/v1/jobs/{UnknownJob}/webhook-deliveries");
        using var malformed = await bob.GetAsync("/api/v1/jobs/not-a-job/webhook-deliveries");
        using var own = await alice.GetAsync($"/api/v1/jobs/{jobId}/webhook-deliveries");

        var problem = await ApiAssert.ProblemAsync(foreign, HttpStatusCode.NotFound, "jobId");
        Assert.Equal($"Job {jobId} was not found.", problem.GetProperty("detail").GetString());
        await ApiAssert.ProblemAsync(unknown, HttpStatusCode.NotFound, "jobId");
        await ApiAssert.ProblemAsync(malformed, HttpStatusCode.NotFound, "jobId");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Empty((await own.ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Deliveries_RejectInvalidLimitAndCursor()
    {
        var alice = fixture.For("alice-invalid");
        var jobId = await alice.CreateJobAsync(JobWithWebhook($"{fixture.Receiver.BaseUrl}/ok/invalid", fixture.Webhooks.Url(WebhookReceiver.NewPath()), "0 0 1 1 *"));

        using var limit = await alice.GetAsync($"/api/v1/jobs/{jobId}/webhook-deliveries?limit=0");
        using var cursor = await alice.GetAsync($"/api/v1/jobs/{jobId}/webhook-deliveries?cursor=whd_{UnknownJob[4..]}_01M91F24VAC2ZYEW62JTYPTZV7");

        await ApiAssert.ProblemAsync(limit, HttpStatusCode.BadRequest, "limit");
        await ApiAssert.ProblemAsync(cursor, HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task SlowReceiver_DoesNotDelayExecutions()
    {
        await using var slow = await WebhookReceiver.StartAsync();
        var path = WebhookReceiver.NewPath();
        slow.Delay(path, TimeSpan.FromSeconds(5));
        var alice = fixture.For("alice-slow");
        var jobId = await alice.CreateJobAsync(JobWithWebhook($"{fixture.Receiver.BaseUrl}/ok/slow", slow.Url(path), "*/1 * * * * *"));

        await Eventually.HoldsAsync(async () => (await SucceededAsync(alice, jobId)).Count >= 5, "five executions", seconds: 15);
        using var deleted = await alice.DeleteAsync($"/api/v1/jobs/{jobId}");

        var executions = await SucceededAsync(alice, jobId);
        foreach (var execution in executions)
        {
            var lag = DateTimeOffset.Parse(execution.String("startedAt"), System.Globalization.CultureInfo.InvariantCulture)
                - DateTimeOffset.Parse(execution.String("scheduledAt"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(lag < TimeSpan.FromSeconds(1), $"execution {execution.String("executionId")} started {lag.TotalMilliseconds} ms late");
        }

        Assert.Equal(WebhookGatewayFixture.MaxConcurrencyPerHost, slow.MaxOpen(path));
    }

    private static string JobWithWebhook(string targetUrl, string webhookUrl, string schedule) => $$$"""
        {"name": "webhook", "type": "RECURRING", "scheduleExpression": "{{{schedule}}}", "target": {"type": "HTTP", "url": "{{{targetUrl}}}"}, "webhook": {"url": "{{{webhookUrl}}}", "events": ["SUCCEEDED"]}}
        """;

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string jobId, string query) =>
        (await client.GetJsonAsync($"/api/v1/jobs/{jobId}/webhook-deliveries{query}")).GetProperty("items").EnumerateArray().ToList();

    private static async Task<List<JsonElement>> SucceededAsync(HttpClient client, string jobId) =>
        (await client.GetJsonAsync($"/api/v1/jobs/{jobId}/executions?limit=100")).GetProperty("items").EnumerateArray()
            .Where(item => item.String("status") == "SUCCEEDED")
            .ToList();
}

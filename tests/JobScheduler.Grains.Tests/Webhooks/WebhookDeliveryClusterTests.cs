using System.Text.Json;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Webhooks;

namespace JobScheduler.Grains.Tests.Webhooks;

/// <summary>
/// Webhook delivery end to end on a real cluster: jobs run, events go to a real HTTP receiver on loopback,
/// and retries wait on the fake clock.
/// </summary>
[Collection(WebhookClusterCollection.Name)]
public sealed class WebhookDeliveryClusterTests(WebhookClusterFixture fixture)
{
    private const string User = "hooks";

    private WebhookReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task Retries_ResendSameEventAndBody()
    {
        var secret = (await SecretGrain().GetSecret()).Secret;
        var path = WebhookReceiver.NewPath();
        Receiver.Respond(path, 500, 503);
        var jobId = await CreateAsync(Job(path, WebhookEventType.Succeeded));

        var executionId = (await fixture.Grains.GetGrain<IJobGrain>(jobId).ExecuteNow(User)).Value!;
        await WebhookClusterFixture.AdvanceUntilAsync(() => Receiver.CallsTo(path).Count >= 3, "three deliveries");

        var calls = Receiver.CallsTo(path);
        Assert.Equal(3, calls.Count);
        Assert.Equal([500, 503, 200], calls.Select(call => call.ResponseStatus).ToList());
        Assert.Equal(["1", "2", "3"], calls.Select(call => call.Header(WebhookHeaders.DeliveryAttempt)).ToList());
        var eventId = Assert.Single(calls.Select(call => call.Header(WebhookHeaders.EventId)).Distinct());
        Assert.StartsWith("evt_", eventId);
        Assert.All(calls, call => Assert.Equal(calls[0].Body, call.Body));
        Assert.All(calls, call => Assert.True(ReceiverSignature.Verifies(call.Header(WebhookHeaders.Signature), call.Body, secret)));

        var timestamps = calls.Select(call => ReceiverSignature.Parse(call.Header(WebhookHeaders.Signature)).Timestamp).ToList();
        Assert.True(timestamps[0] < timestamps[1], $"the second attempt is signed later: {timestamps[0]}, {timestamps[1]}");
        Assert.True(timestamps[1] < timestamps[2], $"the third attempt is signed later: {timestamps[1]}, {timestamps[2]}");

        using var body = JsonDocument.Parse(calls[0].Body);
        var root = body.RootElement;
        Assert.Equal(eventId, root.GetProperty("eventId").GetString());
        Assert.Equal("SUCCEEDED", root.GetProperty("type").GetString());
        Assert.Equal(jobId, root.GetProperty("jobId").GetString());
        Assert.Equal(executionId, root.GetProperty("executionId").GetString());
        Assert.Equal(1, root.GetProperty("attemptNumber").GetInt32());
        Assert.Equal("SUCCEEDED", root.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal($"{jobId}:manual:{executionId}", root.GetProperty("idempotencyKey").GetString());
    }

    [Fact]
    public async Task Retries_AreRecordedInDeliveryLog()
    {
        var path = WebhookReceiver.NewPath();
        Receiver.Respond(path, 500, 503);
        var jobId = await CreateAsync(Job(path, WebhookEventType.Succeeded));

        await fixture.Grains.GetGrain<IJobGrain>(jobId).ExecuteNow(User);
        await WebhookClusterFixture.AdvanceUntilAsync(() => Receiver.CallsTo(path).Count >= 3, "three deliveries");
        await Eventually.HoldsAsync(
            async () => (await WebhookClusterFixture.Deliveries.ListByJobAsync(jobId, 10, null)).Items.Count == 3,
            "three recorded attempts");

        var recorded = (await WebhookClusterFixture.Deliveries.ListByJobAsync(jobId, 10, null)).Items.OrderBy(d => d.AttemptNumber).ToList();
        Assert.Equal([1, 2, 3], recorded.Select(d => d.AttemptNumber).ToList());
        Assert.Equal([500, 503, 200], recorded.Select(d => d.StatusCode).ToList());
        Assert.Equal([false, false, true], recorded.Select(d => d.Succeeded).ToList());
        Assert.Equal(["The receiver responded with HTTP 500.", "The receiver responded with HTTP 503.", null], recorded.Select(d => d.Error).ToList());
        Assert.Single(recorded.Select(d => d.EventId).Distinct());
        Assert.All(recorded, d => Assert.Equal("SUCCEEDED", d.EventType));
        Assert.All(recorded, d => Assert.Equal(User, d.UserId));
        Assert.All(recorded, d => Assert.Equal(Receiver.Url(path), d.Url));
    }

    [Fact]
    public async Task CaseBH31_RetryKeepsKeyBodyAndInstant()
    {
        var expected = Bh31Expected();
        // "scheduledAt_in_body" reads "2024-01-01T10:00:00Z on both".
        var instantText = expected.GetProperty("scheduledAt_in_body").GetString()!.Split(' ')[0];
        var instant = DateTimeOffset.Parse(instantText, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(instantText, expected.GetProperty("idempotency_key").GetString());
        var requests = expected.GetProperty("requests").GetInt32();
        Assert.True(WebhookClusterFixture.Time.GetUtcNow() < instant.AddSeconds(-1), "another test moved this cluster's clock past the case's instant");
        WebhookClusterFixture.Time.SetUtcNow(instant.AddSeconds(-1));

        // The receiver responds with 500 to the first POST and 200 afterwards.
        var path = WebhookReceiver.NewPath();
        Receiver.Respond(path, 500);
        var jobId = await CreateAsync(Job(path, WebhookEventType.Succeeded) with { ScheduleExpression = "0 * * * *", TimeZone = "UTC" });
        Assert.Equal(instant, (await fixture.Grains.GetGrain<IJobGrain>(jobId).GetJob(User)).Value!.NextExecutionAt);

        WebhookClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await WebhookClusterFixture.AdvanceUntilAsync(() => Receiver.CallsTo(path).Count >= requests, $"{requests} deliveries");
        await WebhookClusterFixture.AdvanceStepwiseAsync(seconds: 60);

        var calls = Receiver.CallsTo(path);
        Assert.Equal(requests, calls.Count);
        Assert.Equal([500, 200], calls.Select(call => call.ResponseStatus).ToList());

        var bodies = calls.Select(call => JsonDocument.Parse(call.Body).RootElement).ToList();
        var keys = bodies.Select(body => body.GetProperty("idempotencyKey").GetString()).ToList();
        Assert.Equal($"{jobId}:{instant.ToUnixTimeMilliseconds()}", keys[0]);
        Assert.Equal(keys[0], keys[1]);

        Assert.Equal(calls[0].Body, calls[1].Body);
        Assert.Equal(["1", "2"], calls.Select(call => call.Header(WebhookHeaders.DeliveryAttempt)).ToList());
        var timestamps = calls.Select(call => ReceiverSignature.Parse(call.Header(WebhookHeaders.Signature)).Timestamp).ToList();
        Assert.True(timestamps[1] > timestamps[0], $"the retry carries a fresh signature time: {timestamps[0]}, {timestamps[1]}");

        Assert.All(bodies, body => Assert.Equal("2024-01-01T10:00:00.000Z", body.GetProperty("scheduledAt").GetString()));
    }

    [Fact]
    public async Task Events_OnlySubscribedTypesAreSent()
    {
        var subscribed = WebhookReceiver.NewPath();
        var everything = WebhookReceiver.NewPath();
        var noRetries = new RetryPolicy { MaxRetries = 0 };
        var onlyDeadLetters = await CreateAsync(
            Job(subscribed, WebhookEventType.DeadLettered) with { Target = HandlerTarget(FailingHandler.Name), RetryPolicy = noRetries });
        var allEvents = await CreateAsync(
            Job(everything) with { Target = HandlerTarget(FailingHandler.Name), RetryPolicy = noRetries });

        await fixture.Grains.GetGrain<IJobGrain>(onlyDeadLetters).ExecuteNow(User);
        await fixture.Grains.GetGrain<IJobGrain>(allEvents).ExecuteNow(User);
        await Eventually.HoldsAsync(() => Receiver.CallsTo(everything).Count == 2, "FAILED and DEAD_LETTERED of the job that takes every event");
        await Eventually.HoldsAsync(() => Receiver.CallsTo(subscribed).Count == 1, "DEAD_LETTERED of the job that takes only that");
        await Task.Delay(500);

        var types = Receiver.CallsTo(everything).Select(call => JsonDocument.Parse(call.Body).RootElement.GetProperty("type").GetString()).Order().ToList();
        Assert.Equal(["DEAD_LETTERED", "FAILED"], types);
        var only = Assert.Single(Receiver.CallsTo(subscribed));
        using var body = JsonDocument.Parse(only.Body);
        Assert.Equal("DEAD_LETTERED", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("FAILED", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("System.InvalidOperationException: The report service is down.", body.RootElement.GetProperty("error").GetString());
    }

    private static JsonElement Bh31Expected()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Cases", "scheduling-cases.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Single(entry => entry.GetProperty("id").GetString() == "BH-31").GetProperty("expected").Clone();
    }

    private IWebhookSecretGrain SecretGrain() => fixture.Grains.GetGrain<IWebhookSecretGrain>(WebhookSecretGrain.Key(User));

    private JobDefinition Job(string path, params WebhookEventType[] events) =>
        JobDefinitions.Recurring("0 0 1 1 *") with { Webhook = new WebhookDefinition { Url = Receiver.Url(path), Events = events } };

    private static TargetDefinition HandlerTarget(string name) => new() { Type = TargetType.Handler, Name = name };

    private async Task<string> CreateAsync(JobDefinition definition)
    {
        var jobId = JobIds.NewJobId(WebhookClusterFixture.Time.GetUtcNow());
        var created = await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return jobId;
    }
}

using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Webhooks;

namespace JobScheduler.Grains.Tests.Webhooks;

/// <summary>
/// Outbox recovery on a real cluster: an event left behind by a silo that stopped is claimed once its lease
/// has ended and delivered under its own event id, and a delivered event leaves the outbox.
/// </summary>
[Collection(WebhookClusterCollection.Name)]
public sealed class WebhookOutboxClusterTests(WebhookClusterFixture fixture)
{
    private WebhookReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task ExpiredEvent_IsDeliveredUnderItsEventId()
    {
        var path = WebhookReceiver.NewPath();
        var now = WebhookClusterFixture.Time.GetUtcNow();
        var item = LeftBehind(now, Receiver.Url(path));
        await WebhookClusterFixture.Outbox.AddAsync(item, "stopped-silo", now.AddSeconds(-1));

        await WebhookClusterFixture.AdvanceUntilAsync(() => Receiver.CallsTo(path).Count == 1, "the left-behind event was delivered");

        var call = Assert.Single(Receiver.CallsTo(path));
        Assert.Equal(item.EventId, call.Header(WebhookHeaders.EventId));
        Assert.Equal("1", call.Header(WebhookHeaders.DeliveryAttempt));
        await Eventually.HoldsAsync(async () => !await IsInOutboxAsync(item.EventId), "the delivered event left the outbox");
    }

    private static async Task<bool> IsInOutboxAsync(string eventId)
    {
        // A probe far in the future finds every remaining event as expired. Claiming it takes a lease but changes nothing else.
        var far = WebhookClusterFixture.Time.GetUtcNow().AddDays(1);
        var remaining = await WebhookClusterFixture.Outbox.ClaimExpiredAsync("probe", far, far, 1000);
        return remaining.Any(left => left.EventId == eventId);
    }

    private static OutboxEvent LeftBehind(DateTimeOffset now, string url)
    {
        var jobId = JobIds.NewJobId(now);
        var executionEvent = new ExecutionEvent(
            WebhookEventType.Failed, jobId, "hooks", JobIds.NewExecutionId(jobId, now), now.AddSeconds(-5), 1,
            ExecutionStatus.Failed, 12, "The target answered HTTP 503: busy", $"{jobId}:{now.AddSeconds(-5).ToUnixTimeMilliseconds()}",
            now.AddSeconds(-4), new WebhookDefinition { Url = url });
        return new OutboxEvent(WebhookIds.NewEventId(now), executionEvent);
    }
}

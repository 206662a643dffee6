using System.Diagnostics.Metrics;
using System.Text;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Grains.Telemetry;
using JobScheduler.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace JobScheduler.Grains.Tests.Webhooks;

/// <summary>The event body, the signature header, the options check and the dispatcher's queue, without a cluster.</summary>
public sealed class WebhookDispatcherTests
{
    private static readonly DateTimeOffset ScheduledAt = new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EventBody_HasPublishedSchema()
    {
        var body = WebhookEventBody.Write("evt_01HK0000000000000000000000", Event(WebhookEventType.TimedOut, ExecutionStatus.TimedOut) with
        {
            DurationMs = 30_000,
            Error = "The attempt did not finish within its timeout of 30 s.",
        });

        const string expected =
            """{"eventId":"evt_01HK0000000000000000000000","type":"TIMED_OUT","jobId":"job_01HK0000000000000000000JOB","executionId":"exe_01HK0000000000000000000JOB_01HK00000000000000000000EX","scheduledAt":"2024-01-01T10:00:00.000Z","attemptNumber":2,"status":"TIMED_OUT","durationMs":30000,"error":"The attempt did not finish within its timeout of 30 s.","idempotencyKey":"job_01HK0000000000000000000JOB:1704103200000","occurredAt":"2024-01-01T10:00:30.125Z"}""";
        Assert.Equal(
            expected,
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void EventBody_WritesAbsentValuesAsNull()
    {
        var body = Encoding.UTF8.GetString(WebhookEventBody.Write("evt_x", Event(WebhookEventType.Retrying, ExecutionStatus.Failed)));

        Assert.Contains("\"durationMs\":null,\"error\":null,", body);
        Assert.Contains("\"type\":\"RETRYING\",", body);
    }

    [Fact]
    public void Signature_SignsTimestampAndBodyWithEachSecret()
    {
        var body = Encoding.UTF8.GetBytes("""{"eventId":"evt_x"}""");

        var header = WebhookSignature.Create(1704103200, body, ["whsec_new", "whsec_old"]);

        Assert.Equal(
            $"t=1704103200,v1={ReceiverSignature.Expected("whsec_new", 1704103200, body)},v1={ReceiverSignature.Expected("whsec_old", 1704103200, body)}",
            header);
    }

    [Fact]
    public void Options_ReportsEveryInvalidValue()
    {
        var options = new WebhookOptions
        {
            MaxAttempts = 0,
            BaseDelay = TimeSpan.Zero,
            MaxDelay = TimeSpan.FromDays(2),
            Timeout = TimeSpan.Zero,
            QueueCapacity = 0,
            MaxEventsInFlight = 0,
            MaxConcurrencyPerHost = 0,
        };

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(7, result.Failures!.Count());
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Webhooks:MaxAttempts must be from 1 to 100; got 0.", StringComparison.Ordinal));
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }

    [Fact]
    public void Publish_DropsAndCountsWhenQueueIsFull()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var deliveries = new MetricCollector<long>(meters, JobSchedulerMetrics.MeterName, "jobscheduler.webhook.deliveries");
        using var dispatcher = Dispatcher(meters, new WebhookOptions { QueueCapacity = 2 });

        for (var i = 0; i < 5; i++)
        {
            dispatcher.Publish(Event(WebhookEventType.Succeeded, ExecutionStatus.Succeeded));
        }

        Assert.Equal(3, dispatcher.DroppedCount);
        var measurements = deliveries.GetMeasurementSnapshot();
        Assert.Equal(3, measurements.Count);
        Assert.All(measurements, measurement => Assert.Equal("dropped", measurement.Tags["outcome"]));
    }

    [Fact]
    public void Publish_SkipsUnsubscribedTypesWithoutQueueing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var dispatcher = Dispatcher(services.GetRequiredService<IMeterFactory>(), new WebhookOptions { QueueCapacity = 1 });
        var failuresOnly = new WebhookDefinition { Url = "http://127.0.0.1:9/hook", Events = [WebhookEventType.Failed] };

        for (var i = 0; i < 3; i++)
        {
            dispatcher.Publish(Event(WebhookEventType.Succeeded, ExecutionStatus.Succeeded) with { Webhook = failuresOnly });
        }

        dispatcher.Publish(Event(WebhookEventType.Failed, ExecutionStatus.Failed) with { Webhook = failuresOnly });

        Assert.Equal(0, dispatcher.DroppedCount);
        Assert.False(WebhookDispatcher.IsSubscribed(Event(WebhookEventType.Succeeded, ExecutionStatus.Succeeded) with { Webhook = failuresOnly }));
        Assert.True(WebhookDispatcher.IsSubscribed(Event(WebhookEventType.Skipped, ExecutionStatus.Skipped)));
    }

    [Fact]
    public async Task FullQueue_KeepsEventsInOutbox()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var outbox = new MemoryWebhookOutbox();
        using var dispatcher = Dispatcher(services.GetRequiredService<IMeterFactory>(), new WebhookOptions { QueueCapacity = 2 }, outbox);

        for (var i = 0; i < 5; i++)
        {
            dispatcher.Publish(Event(WebhookEventType.Succeeded, ExecutionStatus.Succeeded));
        }

        var stored = await outbox.ClaimExpiredAsync("probe", DateTimeOffset.MaxValue, DateTimeOffset.MaxValue, 100);
        Assert.Equal(5, stored.Count);
        Assert.Equal(5, stored.Select(item => item.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Stop_ReleasesQueuedEventsToOtherDispatchers()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var outbox = new MemoryWebhookOutbox();
        using var stopped = Dispatcher(meters, new WebhookOptions(), outbox);
        stopped.Publish(Event(WebhookEventType.Succeeded, ExecutionStatus.Succeeded));
        stopped.Publish(Event(WebhookEventType.Failed, ExecutionStatus.Failed));

        await stopped.StopAsync(CancellationToken.None);
        using var survivor = Dispatcher(meters, new WebhookOptions(), outbox, ScheduledAt.AddMilliseconds(1));

        Assert.Equal(2, await survivor.ClaimExpiredAsync());
        Assert.Equal(0, await survivor.ClaimExpiredAsync());
    }

    /// <summary>A dispatcher that is never started, so nothing is sent and queued events stay queued.</summary>
    private static WebhookDispatcher Dispatcher(
        IMeterFactory meters, WebhookOptions options, MemoryWebhookOutbox? outbox = null, DateTimeOffset? now = null)
    {
        var time = new FakeTimeProvider(now ?? ScheduledAt);
        var wrapped = Options.Create(options);
        var sender = new WebhookSender(null!, null!, new MemoryWebhookDeliveryStore(), time, wrapped, NullLogger<WebhookSender>.Instance);
        return new WebhookDispatcher(sender, outbox ?? new MemoryWebhookOutbox(), time, wrapped, new JobSchedulerMetrics(meters), NullLogger<WebhookDispatcher>.Instance);
    }

    private static ExecutionEvent Event(WebhookEventType type, ExecutionStatus status) => new(
        type,
        "job_01HK0000000000000000000JOB",
        "alice",
        "exe_01HK0000000000000000000JOB_01HK00000000000000000000EX",
        ScheduledAt,
        2,
        status,
        null,
        null,
        "job_01HK0000000000000000000JOB:1704103200000",
        ScheduledAt.AddSeconds(30).AddMilliseconds(125),
        new WebhookDefinition { Url = "http://127.0.0.1:9/hook" });
}

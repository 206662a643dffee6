using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Telemetry;

/// <summary>
/// The scheduler's instruments on the <c>JobScheduler</c> meter, created through <see cref="IMeterFactory"/>
/// so that each service provider (each silo of a test cluster) gets its own meter. Every tag has a small
/// fixed set of values, except <c>shard</c> (bounded by <c>Scheduler:ShardCount</c>), <c>handler</c>
/// (bounded by the registered handlers) and <c>route</c> (bounded by the mapped endpoints).
/// </summary>
public sealed class JobSchedulerMetrics
{
    /// <summary>Name of the meter, to enable in an OpenTelemetry meter provider.</summary>
    public const string MeterName = "JobScheduler";

    /// <summary>Upper bounds of the schedule lag histogram's buckets, in milliseconds.</summary>
    public static readonly IReadOnlyList<double> LagBucketsMs =
        [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];

    private readonly Counter<long> _executions;
    private readonly Counter<long> _handlersAbandoned;
    private readonly Histogram<double> _scheduleLag;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _apiRequests;
    private readonly ConcurrentDictionary<int, int> _wheelEntries = new();
    private readonly ConcurrentDictionary<int, long> _dueIndexBacklog = new();

    /// <summary>Creates the meter and its instruments.</summary>
    public JobSchedulerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);

        _executions = meter.CreateCounter<long>(
            "jobscheduler.executions", "{execution}",
            "Attempts that ended, by outcome (succeeded, failed, timed_out, cancelled, skipped, lost) and trigger.");
        _handlersAbandoned = meter.CreateCounter<long>(
            "jobscheduler.handlers.abandoned", "{attempt}",
            "In-process handler attempts that kept running after their timeout cancelled them and were left behind.");
        _scheduleLag = meter.CreateHistogram(
            "jobscheduler.schedule.lag", "ms",
            "Time from an execution's scheduled instant to its start on an executor.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBucketsMs });
        _inFlight = meter.CreateUpDownCounter<long>(
            "jobscheduler.executions.in_flight", "{attempt}",
            "Attempts running on this silo's executor now.");
        meter.CreateObservableGauge(
            "jobscheduler.wheel.entries", ObserveWheelEntries, "{entry}",
            "Entries in each active shard's timing wheel on this silo, by shard.");
        meter.CreateObservableGauge(
            "jobscheduler.due_index.backlog", ObserveDueIndexBacklog, "{entry}",
            "Due-index entries whose instant has passed but that no executor has started yet, by shard.");
        _retries = meter.CreateCounter<long>(
            "jobscheduler.retries", "{retry}",
            "Retries scheduled after a failed, timed-out or lost attempt.");
        _deadLetters = meter.CreateCounter<long>(
            "jobscheduler.dead_letters", "{dead_letter}",
            "Executions moved to the dead-letter list after exhausting their retries.");
        _webhookDeliveries = meter.CreateCounter<long>(
            "jobscheduler.webhook.deliveries", "{delivery}",
            "Webhook delivery attempts, by outcome (succeeded, failed, gave_up), and events dropped before delivery (dropped).");
        _apiRequests = meter.CreateCounter<long>(
            "jobscheduler.api.requests", "{request}",
            "Requests to the REST API, by method, route template and status code.");
    }

    /// <summary>Counts one attempt that ended with a final <paramref name="status"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is PENDING or RUNNING.</exception>
    public void RecordExecution(ExecutionStatus status, ExecutionTrigger trigger) =>
        _executions.Add(1, new TagList { { "outcome", OutcomeTag(status) }, { "trigger", TriggerTag(trigger) } });

    /// <summary>Counts one attempt whose deadline passed without an outcome (its worker or silo was lost).</summary>
    public void RecordLostExecution(ExecutionTrigger trigger) =>
        _executions.Add(1, new TagList { { "outcome", "lost" }, { "trigger", TriggerTag(trigger) } });

    /// <summary>Counts one handler attempt that ignored its cancellation and was left running.</summary>
    public void RecordHandlerAbandoned(string handlerName) =>
        _handlersAbandoned.Add(1, new KeyValuePair<string, object?>("handler", handlerName));

    /// <summary>Records how late an attempt started after its scheduled instant; an early start counts as 0.</summary>
    public void RecordScheduleLag(TimeSpan lag) => _scheduleLag.Record(Math.Max(0, lag.TotalMilliseconds));

    /// <summary>Counts an attempt that started on this silo's executor; pair with <see cref="ExecutionFinished"/>.</summary>
    public void ExecutionStarted() => _inFlight.Add(1);

    /// <summary>Counts an attempt that left this silo's executor, whatever its outcome.</summary>
    public void ExecutionFinished() => _inFlight.Add(-1);

    /// <summary>Sets the number of entries in one shard's timing wheel, reported until <see cref="ForgetShard"/>.</summary>
    public void SetWheelEntries(int shard, int entries) => _wheelEntries[shard] = entries;

    /// <summary>Sets the number of overdue, not yet started due-index entries of one shard.</summary>
    public void SetDueIndexBacklog(int shard, long entries) => _dueIndexBacklog[shard] = entries;

    /// <summary>Stops reporting a shard's gauges, for example when the shard deactivates on this silo.</summary>
    public void ForgetShard(int shard)
    {
        _wheelEntries.TryRemove(shard, out _);
        _dueIndexBacklog.TryRemove(shard, out _);
    }

    /// <summary>Counts one retry scheduled by a job grain.</summary>
    public void RecordRetryScheduled() => _retries.Add(1);

    /// <summary>Counts one execution moved to the dead-letter list.</summary>
    public void RecordDeadLetter() => _deadLetters.Add(1);

    /// <summary>Counts one webhook delivery attempt.</summary>
    public void RecordWebhookDelivery(WebhookDeliveryOutcome outcome) =>
        _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome switch
        {
            WebhookDeliveryOutcome.Succeeded => "succeeded",
            WebhookDeliveryOutcome.Failed => "failed",
            WebhookDeliveryOutcome.GaveUp => "gave_up",
            WebhookDeliveryOutcome.Dropped => "dropped",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown webhook delivery outcome."),
        }));

    /// <summary>
    /// Counts one REST API request. <paramref name="route"/> is the endpoint's route template (such as
    /// <c>/api/v1/jobs/{jobId}</c>), never the raw path, so that job ids do not become tag values.
    /// </summary>
    public void RecordApiRequest(string method, string route, int statusCode) =>
        _apiRequests.Add(1, new TagList { { "method", method }, { "route", route }, { "status_code", statusCode } });

    /// <summary>Returns the <c>outcome</c> tag value of a final execution status.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is PENDING or RUNNING.</exception>
    public static string OutcomeTag(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.TimedOut => "timed_out",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Only a final status is an execution outcome."),
    };

    /// <summary>Returns the <c>trigger</c> tag value of a trigger.</summary>
    public static string TriggerTag(ExecutionTrigger trigger) => trigger switch
    {
        ExecutionTrigger.Schedule => "schedule",
        ExecutionTrigger.Manual => "manual",
        ExecutionTrigger.Redrive => "redrive",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown execution trigger."),
    };

    private IEnumerable<Measurement<int>> ObserveWheelEntries() =>
        _wheelEntries.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("shard", pair.Key)));

    private IEnumerable<Measurement<long>> ObserveDueIndexBacklog() =>
        _dueIndexBacklog.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("shard", pair.Key)));
}

/// <summary>Outcome of one webhook delivery attempt, the <c>outcome</c> tag of <c>jobscheduler.webhook.deliveries</c>.</summary>
public enum WebhookDeliveryOutcome
{
    /// <summary>The receiver responded with a 2xx status.</summary>
    Succeeded,

    /// <summary>The attempt failed and the delivery will be tried again.</summary>
    Failed,

    /// <summary>The attempt failed and no further attempt will be made.</summary>
    GaveUp,

    /// <summary>The event was never sent: the silo's webhook queue was full, or the silo stopped first.</summary>
    Dropped,
}

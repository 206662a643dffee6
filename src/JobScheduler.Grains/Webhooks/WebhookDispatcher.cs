using System.Collections.Concurrent;
using System.Threading.Channels;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Jobs;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// The silo's webhook delivery: <see cref="Publish"/> stores an event in the outbox, puts it on a bounded queue
/// and returns at once, and a background loop delivers each event with retries, exponential backoff and
/// jitter. Deliveries use their own HTTP client, queue and per-host limit, so a slow or failing receiver never
/// delays an execution. An event leaves the outbox when its delivery ends, so one that a stopped or crashed
/// silo did not finish is claimed and delivered by another (see <c>WebhookDispatcher.Outbox.cs</c>).
/// </summary>
public sealed partial class WebhookDispatcher : IExecutionEvents, IHostedService, IDisposable
{
    /// <summary>Minimum time between two log lines about dropped events. Each line carries the count since the previous one.</summary>
    private static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(10);

    private readonly Channel<PendingEvent> _queue;
    private readonly SemaphoreSlim _inFlight;
    private readonly WebhookSender _sender;
    private readonly ResiliencePipeline<WebhookAttemptResult> _retry;
    private readonly JobSchedulerMetrics _metrics;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly WebhookOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _deliveries = new();
    private long _nextDeliveryKey;
    private long _droppedTotal;
    private long _droppedSinceLog;
    private long _lastDropLog = long.MinValue;
    private Task _loop = Task.CompletedTask;

    public WebhookDispatcher(
        WebhookSender sender,
        IWebhookOutbox outbox,
        [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
        IOptions<WebhookOptions> options,
        JobSchedulerMetrics metrics,
        ILogger<WebhookDispatcher> logger)
    {
        _sender = sender;
        _outbox = outbox;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _options = options.Value;
        _queue = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _inFlight = new SemaphoreSlim(_options.MaxEventsInFlight, _options.MaxEventsInFlight);
        _retry = BuildRetryPipeline(_options, time);
    }

    /// <summary>
    /// Events not queued on this silo because the queue was full or the dispatcher had stopped. They stay in
    /// the outbox and are delivered once their lease ends.
    /// </summary>
    public long DroppedCount => Interlocked.Read(ref _droppedTotal);

    /// <summary>
    /// Stores and queues the event when the job's webhook subscribes to its type. Returns without waiting
    /// because the outbox write completes in the background. When the queue is full the event stays in the
    /// outbox only, and is counted and logged as dropped.
    /// </summary>
    public void Publish(ExecutionEvent executionEvent)
    {
        if (!IsSubscribed(executionEvent))
        {
            return;
        }

        var item = new OutboxEvent(WebhookIds.NewEventId(executionEvent.OccurredAt), executionEvent);
        var stored = StoreAsync(item);
        _active.TryAdd(item.EventId, 0);
        if (!_queue.Writer.TryWrite(new PendingEvent(item, stored)))
        {
            _active.TryRemove(item.EventId, out _);
            Drop(executionEvent);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        _claimLoop = Task.Run(ClaimLoopAsync, CancellationToken.None);
        LogStarted(_logger, _options.QueueCapacity, _options.MaxEventsInFlight, _options.MaxConcurrencyPerHost, _options.MaxAttempts);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _claimLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_deliveries.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var unsent = 0;
        while (_queue.Reader.TryRead(out _))
        {
            unsent++;
            _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.Dropped);
        }

        Interlocked.Add(ref _droppedTotal, unsent);
        LogStopped(_logger, unsent);
        await ReleaseLeasesAsync();
    }

    // The in-flight semaphore is not disposed: a delivery that outlived StopAsync may still release it.
    public void Dispose() => _stopping.Dispose();

    /// <summary>True when the event has a webhook URL and the webhook lists its type, or lists none (all types).</summary>
    internal static bool IsSubscribed(ExecutionEvent executionEvent) =>
        !string.IsNullOrEmpty(executionEvent.Webhook.Url)
        && (executionEvent.Webhook.Events is not { Count: > 0 } events || events.Contains(executionEvent.Type));

    private static ResiliencePipeline<WebhookAttemptResult> BuildRetryPipeline(WebhookOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<WebhookAttemptResult> { TimeProvider = time };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<WebhookAttemptResult>
            {
                // Failed attempts are results, not exceptions. An exception here is unexpected and is not retried.
                ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Result is { Succeeded: false }),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
            });
        }

        return builder.Build();
    }

    private async Task RunAsync()
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                while (_queue.Reader.TryRead(out var pending))
                {
                    await StartDeliveryAsync(pending);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync counts what is left in the queue.
        }
    }

    private async Task StartDeliveryAsync(PendingEvent pending)
    {
        try
        {
            await _inFlight.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _droppedTotal);
            _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.Dropped);
            throw;
        }

        var key = Interlocked.Increment(ref _nextDeliveryKey);
        var delivery = DeliverAsync(pending, key);
        _deliveries[key] = delivery;
        if (delivery.IsCompleted)
        {
            _deliveries.TryRemove(key, out _);
        }
    }

    private async Task DeliverAsync(PendingEvent pending, long key)
    {
        var executionEvent = pending.Item.Event;
        try
        {
            // Leave the loop at once: serializing and the first request run on the thread pool.
            await Task.Yield();
            if (WebhookMessage.Create(pending.Item.EventId, executionEvent) is not { } message)
            {
                LogInvalidUrl(_logger, executionEvent.JobId);
                _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.GaveUp);
                await RemoveStoredAsync(pending);
                return;
            }

            using var activity = JobSchedulerTracing.StartWebhookDelivery(
                executionEvent.JobId, executionEvent.ExecutionId, WebhookEventNames.ToName(executionEvent.Type), traceParent: executionEvent.TraceParent);
            activity?.SetTag("jobscheduler.event_id", message.EventId);
            var attempt = 0;
            var result = await _retry.ExecuteAsync(
                async token =>
                {
                    var outcome = await _sender.SendAsync(message, ++attempt, token);
                    _metrics.RecordWebhookDelivery(outcome.Succeeded ? WebhookDeliveryOutcome.Succeeded
                        : attempt < _options.MaxAttempts ? WebhookDeliveryOutcome.Failed
                        : WebhookDeliveryOutcome.GaveUp);
                    return outcome;
                },
                _stopping.Token);
            if (!result.Succeeded)
            {
                LogGaveUp(_logger, message.EventId, executionEvent.JobId, attempt, result.Error);
            }

            await RemoveStoredAsync(pending);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the event stays in the outbox, and StopAsync releases its lease to the other silos.
            Interlocked.Increment(ref _droppedTotal);
            _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.Dropped);
        }
        catch (Exception exception)
        {
            _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.GaveUp);
            LogDeliveryError(_logger, exception, executionEvent.JobId, executionEvent.ExecutionId);
        }
        finally
        {
            // After the outbox delete, so a claim cannot take the event between the two.
            _active.TryRemove(pending.Item.EventId, out _);
            _inFlight.Release();
            _deliveries.TryRemove(key, out _);
        }
    }

    private void Drop(ExecutionEvent executionEvent)
    {
        Interlocked.Increment(ref _droppedTotal);
        _metrics.RecordWebhookDelivery(WebhookDeliveryOutcome.Dropped);
        var dropped = Interlocked.Increment(ref _droppedSinceLog);

        // Log the first drop, then at most one line per interval with the count since the last line.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastDropLog);
        if (last != long.MinValue && now - last < (long)DropLogInterval.TotalMilliseconds)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastDropLog, now, last) == last)
        {
            Interlocked.Add(ref _droppedSinceLog, -dropped);
            LogDropped(_logger, dropped, executionEvent.JobId, _options.QueueCapacity);
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information,
        Message = "Webhook dispatcher started: queue of {Capacity}, {InFlight} events in flight, {PerHost} requests per host, {Attempts} attempts per event")]
    private static partial void LogStarted(ILogger logger, int capacity, int inFlight, int perHost, int attempts);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information,
        Message = "Webhook dispatcher stopped with {Unsent} queued events left in the outbox for the other silos")]
    private static partial void LogStopped(ILogger logger, int unsent);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning,
        Message = "Did not queue {Count} webhook events because the queue of {Capacity} is full or stopped (latest: job {JobId}). They wait in the outbox until their lease ends. Raise Webhooks:QueueCapacity if receivers are healthy")]
    private static partial void LogDropped(ILogger logger, long count, string jobId, int capacity);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning,
        Message = "Webhook event {EventId} (job {JobId}) was not delivered after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string eventId, string jobId, int attempts, string? error);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error,
        Message = "Webhook delivery for execution {ExecutionId} (job {JobId}) failed unexpectedly")]
    private static partial void LogDeliveryError(ILogger logger, Exception exception, string jobId, string executionId);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning,
        Message = "The webhook URL of job {JobId} is not an absolute http or https URL; the event was not sent")]
    private static partial void LogInvalidUrl(ILogger logger, string jobId);
}

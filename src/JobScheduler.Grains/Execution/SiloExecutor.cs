using Microsoft.Extensions.DependencyInjection;
using System.Threading.Channels;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// The silo's bounded executor: a queue of attempts drained by <see cref="ExecutionOptions.MaxConcurrency"/>
/// consumers. Each attempt is recorded RUNNING, run through its target with the target's timeout,
/// recorded with its outcome, and reported to the dispatching shard as a message.
/// </summary>
public sealed partial class SiloExecutor : IHostedService, IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<AttemptRequest> _queue;
    private readonly HttpTargetInvoker _http;
    private readonly HandlerTargetInvoker _handlers;
    private readonly IExecutionStore _history;
    private readonly IGrainFactory _grains;
    private readonly OutcomeReports _outcomes;
    private readonly IExecutionEvents _events;
    private readonly JobSchedulerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ExecutionOptions _options;
    private readonly ILogger<SiloExecutor> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RunningAttempts _running = new();
    private readonly HeldAttempts _heldAttempts = new();
    private Task[] _consumers = [];
    private Task _heartbeats = Task.CompletedTask;

    public SiloExecutor(
        HttpTargetInvoker http,
        HandlerTargetInvoker handlers,
        IExecutionStore history,
        IGrainFactory grains,
        IExecutionEvents events,
        JobSchedulerMetrics metrics,
        [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
        IOptions<ExecutionOptions> options,
        ILogger<SiloExecutor> logger)
    {
        _http = http;
        _handlers = handlers;
        _history = history;
        _grains = grains;
        _outcomes = new OutcomeReports(grains);
        _events = events;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<AttemptRequest>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Cancels a running attempt; it ends CANCELLED with <paramref name="reason"/> and is not retried.</summary>
    public void Cancel(string executionId, string reason)
    {
        if (_running.Cancel(executionId, reason))
        {
            LogCancelRequested(_logger, executionId, reason);
        }
    }

    /// <summary>Queues an attempt; waits only when the queue is full. Drops an attempt that arrives too late to hold its lease.</summary>
    public async ValueTask EnqueueAsync(AttemptRequest attempt)
    {
        if (ArrivedAfterLease(attempt))
        {
            LogLateAttemptDropped(_logger, attempt.JobId, attempt.ExecutionId, (_time.GetUtcNow() - attempt.DispatchedAt).TotalSeconds);
            return;
        }

        _heldAttempts.Hold(attempt, _time.GetUtcNow());
        try
        {
            await _queue.Writer.WriteAsync(attempt);
        }
        catch
        {
            _heldAttempts.Release(attempt.ExecutionId);
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _consumers = Enumerable.Range(0, _options.MaxConcurrency)
            .Select(_ => Task.Run(ConsumeAsync, CancellationToken.None))
            .ToArray();
        _heartbeats = Task.Run(SendHeartbeatsAsync, CancellationToken.None);
        LogExecutorStarted(_logger, _options.MaxConcurrency, _options.QueueCapacity);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await Task.WhenAll([.. _consumers, _heartbeats]).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        LogExecutorStopped(_logger, _queue.Reader.Count);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task ConsumeAsync()
    {
        try
        {
            await foreach (var attempt in _queue.Reader.ReadAllAsync(_stopping.Token))
            {
                if (StartsWithinLease(attempt))
                {
                    await RunAsync(attempt);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: queued attempts are not started; their shard's deadline reports them lost.
        }
    }

    private async Task RunAsync(AttemptRequest attempt)
    {
        // The RUNNING row is not awaited, so a batch commit never delays the start.
        var running = ToRecord(attempt, ExecutionStatus.Running, _time.GetUtcNow());
        _ = SaveAsync(running);
        _metrics.ExecutionStarted();
        if (attempt.Trigger == ExecutionTrigger.Schedule && attempt.AttemptNumber == 1)
        {
            _metrics.RecordScheduleLag(running.StartedAt!.Value - attempt.ScheduledAt);
        }

        using var activity = JobSchedulerTracing.StartExecution(attempt.JobId, attempt.ExecutionId, attempt.AttemptNumber, attempt.TraceParent);
        var result = await InvokeAsync(attempt);
        _metrics.ExecutionFinished();
        _metrics.RecordExecution(result.Status, attempt.Trigger);

        var finished = running with
        {
            Status = result.Status,
            FinishedAt = _time.GetUtcNow(),
            Error = result.Error,
            ResponseStatusCode = result.ResponseStatusCode,
            ResponseBody = result.ResponseBody,
        };
        if (result.Status != ExecutionStatus.Succeeded)
        {
            LogAttemptFailed(_logger, attempt.JobId, attempt.ExecutionId, attempt.AttemptNumber, result.Status, result.Error);
        }

        // The consumer takes the next attempt now: MaxConcurrency bounds running targets, not commits.
        _ = ReportAsync(attempt, finished);
    }

    /// <summary>
    /// Reports a finished attempt to its shard once the attempt's final row has committed. The shard's
    /// deadline covers a final write that never commits.
    /// </summary>
    private async Task ReportAsync(AttemptRequest attempt, ExecutionInfo finished)
    {
        try
        {
            await SaveAsync(finished);
            PublishOutcome(attempt, finished);
            _outcomes.Report(attempt.Shard, new AttemptOutcome(attempt.ExecutionId, attempt.JobId, finished.Status, finished.Error, finished.FinishedAt ?? _time.GetUtcNow()));
        }
        finally
        {
            _heldAttempts.Release(attempt.ExecutionId);
        }
    }

    private void PublishOutcome(AttemptRequest attempt, ExecutionInfo finished)
    {
        if (attempt.Webhook is not { } webhook)
        {
            return;
        }

        WebhookEventType? type = finished.Status switch
        {
            ExecutionStatus.Succeeded => WebhookEventType.Succeeded,
            ExecutionStatus.Failed => WebhookEventType.Failed,
            ExecutionStatus.TimedOut => WebhookEventType.TimedOut,
            ExecutionStatus.Cancelled => WebhookEventType.Cancelled,
            _ => null,
        };
        if (type is { } eventType)
        {
            _events.Publish(new ExecutionEvent(
                eventType, attempt.JobId, attempt.UserId, attempt.ExecutionId, attempt.ScheduledAt, attempt.AttemptNumber,
                finished.Status, finished.DurationMs, finished.Error, attempt.IdempotencyKey, finished.FinishedAt!.Value, webhook, attempt.TraceParent));
        }
    }

    private async Task<TargetResult> InvokeAsync(AttemptRequest attempt)
    {
        var timeout = attempt.Target.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
        using var running = _running.Start(attempt);
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, running.Cancellation, _stopping.Token);
        ITargetInvoker invoker = attempt.Target.Type == TargetType.Http ? _http : _handlers;

        var invocation = invoker.InvokeAsync(attempt, linked.Token);

        // A target that finished synchronously (a quick in-process handler) needs no abandon watch.
        if (!invocation.IsCompleted)
        {
            using var finished = new CancellationTokenSource();
            var abandonment = AbandonAfterGraceAsync(linked.Token, finished.Token);
            if (await Task.WhenAny(invocation, abandonment) == abandonment && !invocation.IsCompleted)
            {
                return Abandon(attempt, invocation, running.CancelReason, timeout);
            }

            await finished.CancelAsync();
        }

        try
        {
            return await invocation;
        }
        catch (OperationCanceledException) when (running.CancelReason is { } reason)
        {
            return new TargetResult(ExecutionStatus.Cancelled, reason, null);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            return new TargetResult(ExecutionStatus.TimedOut, $"The attempt did not finish within its timeout of {timeout.TotalSeconds:0} s.", null);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return TargetResult.Failed("The silo shut down while the attempt was running.");
        }
        catch (HttpRequestException exception)
        {
            return TargetResult.Failed($"The HTTP request failed: {exception.Message}");
        }
        catch (Exception exception)
        {
            LogInvokerError(_logger, exception, attempt.JobId, attempt.ExecutionId);
            return TargetResult.Failed($"{exception.GetType().FullName}: {exception.Message}");
        }
    }

    /// <summary>Completes when the attempt has been cancelled for longer than the abandon grace.</summary>
    private async Task AbandonAfterGraceAsync(CancellationToken cancelled, CancellationToken finished)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancelled.Register(() => signal.TrySetResult()))
        using (finished.Register(() => signal.TrySetCanceled(finished)))
        {
            await signal.Task;
        }

        await Task.Delay(_options.AbandonGrace, _time, finished);
    }

    /// <summary>
    /// Gives up on an attempt whose code ignores its cancellation token: the slot is freed and the outcome
    /// recorded, while the abandoned task keeps running until it returns on its own.
    /// </summary>
    private TargetResult Abandon(AttemptRequest attempt, Task<TargetResult> invocation, string? cancelReason, TimeSpan timeout)
    {
        _ = invocation.ContinueWith(task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        LogAbandoned(_logger, attempt.JobId, attempt.ExecutionId, _options.AbandonGrace.TotalSeconds);
        _metrics.RecordHandlerAbandoned(attempt.Target.Name ?? "http");
        var note = $" The handler ignored cancellation for {_options.AbandonGrace.TotalSeconds:0} s and was abandoned.";
        return cancelReason is not null
            ? new TargetResult(ExecutionStatus.Cancelled, cancelReason + note, null)
            : new TargetResult(ExecutionStatus.TimedOut, $"The attempt did not finish within its timeout of {timeout.TotalSeconds:0} s." + note, null);
    }

    private async Task SaveAsync(ExecutionInfo record)
    {
        try
        {
            await _history.SaveAsync(record);
        }
        catch (Exception exception)
        {
            LogHistoryWriteFailed(_logger, exception, record.JobId, record.ExecutionId, record.Status);
        }
    }

    private static ExecutionInfo ToRecord(AttemptRequest attempt, ExecutionStatus status, DateTimeOffset startedAt) => new()
    {
        ExecutionId = attempt.ExecutionId,
        JobId = attempt.JobId,
        UserId = attempt.UserId,
        Status = status,
        Trigger = attempt.Trigger,
        ScheduledAt = attempt.ScheduledAt,
        StartedAt = startedAt,
        AttemptNumber = attempt.AttemptNumber,
        IdempotencyKey = attempt.IdempotencyKey,
    };

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
        Message = "Executor started with {Concurrency} concurrent attempts and a queue of {Capacity}")]
    private static partial void LogExecutorStarted(ILogger logger, int concurrency, int capacity);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Executor stopped; {Queued} queued attempts were not started and will be reported lost by their shards")]
    private static partial void LogExecutorStopped(ILogger logger, int queued);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
        Message = "Attempt {Attempt} of execution {ExecutionId} (job {JobId}) ended {Status}: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string jobId, string executionId, int attempt, ExecutionStatus status, string? error);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error,
        Message = "Target invoker failed unexpectedly on execution {ExecutionId} (job {JobId})")]
    private static partial void LogInvokerError(ILogger logger, Exception exception, string jobId, string executionId);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning,
        Message = "Execution {ExecutionId} (job {JobId}) ignored cancellation for {GraceSeconds} s; the handler was abandoned and its slot freed")]
    private static partial void LogAbandoned(ILogger logger, string jobId, string executionId, double graceSeconds);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Cancelling execution {ExecutionId}: {Reason}")]
    private static partial void LogCancelRequested(ILogger logger, string executionId, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error,
        Message = "Could not record execution {ExecutionId} (job {JobId}) as {Status}")]
    private static partial void LogHistoryWriteFailed(ILogger logger, Exception exception, string jobId, string executionId, ExecutionStatus status);
}

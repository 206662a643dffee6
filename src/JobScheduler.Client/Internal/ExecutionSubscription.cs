using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Client.Internal;

/// <summary>
/// An Orleans observer subscribed to one execution's outcome through its job grain. The subscription expires at
/// the shard unless renewed, and it is lost when the shard fails over, so the waiter keeps reading the execution
/// as well: a lost notification only delays the result.
/// </summary>
internal sealed class ExecutionSubscription : IExecutionObserver, IAsyncDisposable
{
    private readonly TaskCompletionSource<ExecutionOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IGrainFactory _grains;
    private readonly IJobGrain _job;
    private readonly string _userId;
    private readonly string _executionId;
    private readonly TimeSpan _expiry;
    private readonly TimeProvider _time;
    private readonly GrainCallResilience _resilience;
    private IExecutionObserver? _reference;

    private ExecutionSubscription(
        IGrainFactory grains, IJobGrain job, string userId, string executionId, TimeSpan expiry, TimeProvider time, GrainCallResilience resilience)
    {
        _grains = grains;
        _job = job;
        _userId = userId;
        _executionId = executionId;
        _expiry = expiry;
        _time = time;
        _resilience = resilience;
    }

    /// <summary>Completes when the shard reports the execution's outcome.</summary>
    public Task<ExecutionOutcome> Outcome => _outcome.Task;

    /// <summary>True while the shard has the subscription, as far as the client can tell.</summary>
    public bool IsActive { get; private set; }

    /// <summary>When the subscription should be renewed: after half its lifetime.</summary>
    public DateTimeOffset RenewAt { get; private set; }

    /// <summary>
    /// Creates the observer and subscribes it. The subscription is not active when the observer could not be
    /// created or the job grain rejected it. The caller then reads at its normal interval.
    /// </summary>
    public static async Task<ExecutionSubscription> StartAsync(
        IGrainFactory grains, IJobGrain job, string userId, string executionId, TimeSpan expiry, TimeProvider time,
        GrainCallResilience resilience, CancellationToken cancellationToken)
    {
        var subscription = new ExecutionSubscription(grains, job, userId, executionId, expiry, time, resilience);
        try
        {
            subscription._reference = grains.CreateObjectReference<IExecutionObserver>(subscription);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException)
        {
            // A grain factory without observer support (such as a test double): reading alone still returns the outcome.
            return subscription;
        }

        await subscription.RenewAsync(cancellationToken);
        return subscription;
    }

    /// <summary>Subscribes again for a full lifetime, at the shard that now owns the job.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (_reference is not { } reference)
        {
            return;
        }

        RenewAt = _time.GetUtcNow() + _expiry / 2;
        try
        {
            var result = await _resilience.Repeatable.ExecuteAsync(
                async token => await _job.WatchExecution(_userId, _executionId, reference, _expiry).WaitAsync(token), cancellationToken);
            IsActive = result is { IsSuccess: true, Value: true };
        }
        catch (Exception exception) when (GrainCallResilience.IsTransient(exception))
        {
            // The retries are spent: read at the normal interval and try again at the next renewal.
            IsActive = false;
        }
    }

    public Task OnExecutionFinished(ExecutionOutcome outcome)
    {
        if (string.Equals(outcome.ExecutionId, _executionId, StringComparison.Ordinal))
        {
            _outcome.TrySetResult(outcome);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (_reference is { } reference)
        {
            if (IsActive && !_outcome.Task.IsCompleted)
            {
                // One way and best effort: an unsubscribe that is lost ends at the shard when it expires.
                _job.UnwatchExecution(_executionId, reference).Ignore();
            }

            _grains.DeleteObjectReference<IExecutionObserver>(reference);
            _reference = null;
        }

        return ValueTask.CompletedTask;
    }
}

using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Subscriptions to execution outcomes. They live only in this activation's memory, because a lost one costs
/// the watcher a delay, not the result: watchers renew them and read the history as a fallback. An execution
/// without watchers costs one check of a counter.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    /// <summary>Maximum number of subscriptions in one shard, expired ones included until the next sweep.</summary>
    internal const int MaxWatchers = 10_000;

    private readonly Dictionary<string, List<ExecutionWatcher>> _watchers = new(StringComparer.Ordinal);
    private int _watcherCount;

    public Task<bool> WatchExecution(string executionId, string userId, IExecutionObserver observer, DateTimeOffset expiresAt)
    {
        if (_watchers.TryGetValue(executionId, out var watchers))
        {
            var index = watchers.FindIndex(watcher => watcher.Observer.Equals(observer));
            if (index >= 0)
            {
                watchers[index] = new ExecutionWatcher(observer, userId, expiresAt);
                return Task.FromResult(true);
            }
        }

        if (_watcherCount >= MaxWatchers)
        {
            DropExpiredWatchers(_time.GetUtcNow());
            if (_watcherCount >= MaxWatchers)
            {
                LogWatchersFull(_logger, _shard, MaxWatchers, executionId);
                return Task.FromResult(false);
            }
        }

        if (!_watchers.TryGetValue(executionId, out watchers))
        {
            watchers = [];
            _watchers[executionId] = watchers;
        }

        watchers.Add(new ExecutionWatcher(observer, userId, expiresAt));
        _watcherCount++;
        return Task.FromResult(true);
    }

    public Task UnwatchExecution(string executionId, IExecutionObserver observer)
    {
        if (_watchers.TryGetValue(executionId, out var watchers))
        {
            _watcherCount -= watchers.RemoveAll(watcher => watcher.Observer.Equals(observer));
            if (watchers.Count == 0)
            {
                _watchers.Remove(executionId);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Sends an execution's final status to the unexpired watchers of its owner, then removes them.</summary>
    private void NotifyWatchers(AttemptRequest attempt, ExecutionStatus status, string? error)
    {
        if (_watcherCount == 0 || !_watchers.Remove(attempt.ExecutionId, out var watchers))
        {
            return;
        }

        _watcherCount -= watchers.Count;
        var now = _time.GetUtcNow();
        var outcome = new ExecutionOutcome
        {
            ExecutionId = attempt.ExecutionId,
            JobId = attempt.JobId,
            Status = status,
            AttemptNumber = attempt.AttemptNumber,
            Error = error,
        };
        foreach (var watcher in watchers)
        {
            if (watcher.ExpiresAt > now && string.Equals(watcher.UserId, attempt.UserId, StringComparison.Ordinal))
            {
                watcher.Observer.OnExecutionFinished(outcome).Ignore();
            }
        }
    }

    /// <summary>Removes subscriptions that were not renewed in time.</summary>
    private void DropExpiredWatchers(DateTimeOffset now)
    {
        if (_watcherCount == 0)
        {
            return;
        }

        foreach (var (executionId, watchers) in _watchers)
        {
            _watcherCount -= watchers.RemoveAll(watcher => watcher.ExpiresAt <= now);
            if (watchers.Count == 0)
            {
                _watchers.Remove(executionId);
            }
        }
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning,
        Message = "Shard {Shard} has {MaxWatchers} execution subscriptions, the maximum, so execution {ExecutionId} is not watched and its watcher reads the history instead")]
    private static partial void LogWatchersFull(ILogger logger, int shard, int maxWatchers, string executionId);

    private readonly record struct ExecutionWatcher(IExecutionObserver Observer, string UserId, DateTimeOffset ExpiresAt);
}

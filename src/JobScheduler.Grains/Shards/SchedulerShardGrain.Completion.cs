using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Users;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Completion of jobs whose schedule ran out: a one-time job after its instant, a recurring one past
/// <c>endAt</c> or <c>maxExecutions</c>. It stays off the firing path. The fire only marks the job's
/// due-index row exhausted, in the same group commit that would otherwise move the row on. A stage of
/// one batch at a time then marks the batch COMPLETED in the job index with one statement, releases its
/// quota with one call per user and deletes the rows. A row still marked exhausted after a failure or a
/// stopping silo is completed by the shard's next activation, so no job stays ACTIVE holding a quota slot.
/// NOTE: a crash after a release and before the row delete commits releases that quota twice.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private const int MaxCompletionBatch = 2000;
    private static readonly TimeSpan CompletionRetryDelay = TimeSpan.FromSeconds(1);

    private readonly List<ShardJob> _exhausted = [];
    private Task _completing = Task.CompletedTask;
    private DateTimeOffset _completionRetryAt = DateTimeOffset.MinValue;

    /// <summary>Marks the job's row exhausted (written with this tick's writes) and queues its completion.</summary>
    private void Exhaust(ShardJob job)
    {
        var exhausted = job with { Exhausted = true };
        _writes.Add(_dueIndex.UpsertAsync(_shard, _epoch, exhausted).AsTask());
        _exhausted.Add(exhausted);
    }

    /// <summary>
    /// Starts the next completion batch unless one is in flight. Called after a tick's or a maintenance
    /// round's writes committed, so the exhausted marks of the batch are durable before the job index
    /// changes. A tick starts only a full batch and the once-a-second maintenance round starts any, so a
    /// steady stream of completions goes in a few batches a second, not in one per tick.
    /// </summary>
    private void StartCompletions(bool fullBatchOnly)
    {
        // A fenced activation has dropped its clock registration and must not write any more.
        if (_exhausted.Count == 0 || !_completing.IsCompleted || _registration is null
            || (fullBatchOnly && _exhausted.Count < MaxCompletionBatch)
            || _time.GetUtcNow() < _completionRetryAt)
        {
            return;
        }

        var count = Math.Min(_exhausted.Count, MaxCompletionBatch);
        var batch = _exhausted.GetRange(0, count);
        _exhausted.RemoveRange(0, count);
        _completing = CompleteAsync(batch);
    }

    private async Task CompleteAsync(List<ShardJob> batch)
    {
        IReadOnlyList<JobIndexEntry> completed;
        try
        {
            completed = await _jobIndex.CompleteAsync(batch.ConvertAll(job => new JobVersion(job.JobId, job.Version)));
        }
        catch (Exception exception)
        {
            RetryCompletions(exception, batch);
            return;
        }

        // The rows of a user whose release failed stay exhausted for a retry. The other rows are deleted, so
        // a retry never releases their quota twice.
        var failed = await ReleaseQuotaAsync(completed);
        var done = batch.Where(job => !failed.Contains(job.UserId)).ToList();
        try
        {
            await Task.WhenAll(done.Select(job => _dueIndex.RemoveAsync(_shard, _epoch, job.JobId, job.Version).AsTask()));
        }
        catch (Exception exception)
        {
            // The rows stay exhausted, so the next activation completes these jobs again and releases twice.
            LogDueIndexWriteFailed(_logger, exception, _shard);
        }

        LogJobsCompleted(_logger, _shard, completed.Count, batch.Count);
        if (failed.Count > 0)
        {
            RetryCompletions(null, batch.Where(job => failed.Contains(job.UserId)).ToList());
        }
    }

    /// <summary>Releases the quota of completed jobs, merged per user across shards; returns the users whose release failed.</summary>
    private async Task<HashSet<string>> ReleaseQuotaAsync(IReadOnlyList<JobIndexEntry> completed)
    {
        var releases = completed
            .GroupBy(entry => entry.UserId, StringComparer.Ordinal)
            .Select(user => (User: user.Key, Call: _quota.ReleaseAsync(user.Key, user.Count())))
            .ToList();
        await Task.WhenAll(releases.Select(release => release.Call)).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);

        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var release in releases.Where(release => !release.Call.IsCompletedSuccessfully))
        {
            LogQuotaReleaseFailed(_logger, release.Call.Exception?.GetBaseException(), _shard, release.User);
            failed.Add(release.User);
        }

        return failed;
    }

    private void RetryCompletions(Exception? exception, List<ShardJob> jobs)
    {
        LogCompletionFailed(_logger, exception, _shard, jobs.Count);
        _exhausted.InsertRange(0, jobs);
        _completionRetryAt = _time.GetUtcNow() + CompletionRetryDelay;
    }

    [LoggerMessage(EventId = 1013, Level = LogLevel.Debug,
        Message = "Shard {Shard} completed {Completed} of {Exhausted} jobs whose schedule ran out (the others had changed since)")]
    private static partial void LogJobsCompleted(ILogger logger, int shard, int completed, int exhausted);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning,
        Message = "Shard {Shard} could not complete {Count} jobs whose schedule ran out; it retries in a second")]
    private static partial void LogCompletionFailed(ILogger logger, Exception? exception, int shard, int count);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning,
        Message = "Shard {Shard} could not release the quota of user {UserId} for completed jobs; it retries in a second")]
    private static partial void LogQuotaReleaseFailed(ILogger logger, Exception? exception, int shard, string userId);
}

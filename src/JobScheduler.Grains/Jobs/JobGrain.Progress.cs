using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// How far a job's schedule has run, read back from its execution history, because firing is the shard's
/// work and the job grain is not notified of each fire.
/// </summary>
public sealed partial class JobGrain
{
    private const int HistoryPageSize = 500;

    /// <summary>
    /// Returns the latest scheduled instant that has an execution record, and the number of distinct scheduled
    /// instants (what <c>maxExecutions</c> counts). Only the newest page is read unless <paramref name="countAll"/>.
    /// </summary>
    /// <remarks>
    /// NOTE: an instant the shard fired whose attempt is still waiting for capacity has no record yet, so it is
    /// neither the latest instant nor counted. Callers also compute from the current time, which is at or after
    /// every fired instant on a single clock, so a changed schedule still never repeats a fired instant.
    /// </remarks>
    private async Task<ScheduleProgress> ReadScheduleProgressAsync(bool countAll)
    {
        DateTimeOffset? last = null;
        var instants = new HashSet<DateTimeOffset>();
        string? cursor = null;
        do
        {
            var page = await _history.ListByJobAsync(JobId, HistoryPageSize, cursor);
            foreach (var execution in page.Items)
            {
                if (execution.Trigger != ExecutionTrigger.Schedule)
                {
                    continue;
                }

                instants.Add(execution.ScheduledAt);
                if (last is null || execution.ScheduledAt > last)
                {
                    last = execution.ScheduledAt;
                }
            }

            cursor = page.NextCursor;
        }
        while (countAll && cursor is not null);

        return new ScheduleProgress(last, instants.Count);
    }

    private readonly record struct ScheduleProgress(DateTimeOffset? LastScheduledAt, int FiredCount);
}

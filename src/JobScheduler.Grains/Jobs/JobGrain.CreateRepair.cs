using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Storage;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Completing a create whose first try died half-way. A create writes the job's state first, then its index
/// row and its shard row. When the silo running it dies in between, the repeated call finds the job already
/// there, and this sends the two rows again. The shard adds its row only when it has none for the job, so a job
/// that already fired is not moved back to its first instant.
/// </summary>
public sealed partial class JobGrain
{
    public async Task<ApiResult<JobInfo>> CompleteCreate(string userId)
    {
        if (!IsOwnedBy(userId))
        {
            return NotFound<JobInfo>();
        }

        // A job changed, paused or completed since its create has its rows from that later step.
        await ReadCompletionAsync();
        if (_state.State.Status != Active || _state.State.Version != 1)
        {
            return ApiResult<JobInfo>.Ok(ToInfo(null));
        }

        var definition = StoredDefinitionMapper.ToDefinition(_state.State.Definition!);
        var createdAt = _state.State.CreatedAt;
        var type = definition.Type == JobType.OneTime ? ScheduleParser.OneTimeType : ScheduleParser.RecurringType;
        if (!ScheduleParser.TryParse(type, definition.ScheduleExpression, definition.TimeZone, definition.StartAt ?? createdAt, out var schedule, out _)
            || FirstInstant(definition, schedule, createdAt, out var firstDue) is not null)
        {
            return ApiResult<JobInfo>.Ok(ToInfo(null));
        }

        await _index.UpsertAsync(new JobIndexEntry(JobId, userId, definition.Name!, JobStatus.Active, createdAt, _state.State.Version));
        await ShardOf(JobId).EnsureScheduled(ToShardJob(definition, firstDue, createdAt));
        LogCreateCompleted(_logger, JobId);
        return ApiResult<JobInfo>.Ok(ToInfo(schedule));
    }
}

using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Completion recorded by the shard. When a job's schedule runs out, its shard marks the job COMPLETED in
/// the job index in a batch, without activating this grain, so the stored state can still read ACTIVE. A job
/// that can run out therefore reads its index row before it answers or changes; the row counts only when
/// it was completed at the state's own version, so a job changed since keeps its status.
/// </summary>
public sealed partial class JobGrain
{
    private async ValueTask ReadCompletionAsync()
    {
        if (!Exists || _state.State.Status != Active || !CanRunOut(_state.State.Definition!))
        {
            return;
        }

        var entry = await _index.GetAsync(JobId);
        if (entry is { Status: JobStatus.Completed } && entry.Version == _state.State.Version)
        {
            _state.State.Status = Completed;
            LogJobCompleted(_logger, JobId);
        }
    }

    private static bool CanRunOut(StoredDefinition definition) =>
        definition.Type == "ONE_TIME" || definition.MaxExecutions is not null || definition.EndAt is not null;
}

using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// Sends attempt outcomes to their shards in batches. The first outcome queues a send on the thread
/// pool, and the outcomes that finish before it runs go in the same message, one per shard. So a busy
/// silo sends a few messages per shard instead of one per attempt, while an idle one adds no delay.
/// </summary>
public sealed class OutcomeReports(IGrainFactory grains)
{
    private readonly Lock _lock = new();
    private Dictionary<int, List<AttemptOutcome>> _pending = [];
    private bool _sendQueued;

    /// <summary>Queues an outcome for its shard.</summary>
    public void Report(int shard, AttemptOutcome outcome)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(shard, out var outcomes))
            {
                outcomes = [];
                _pending[shard] = outcomes;
            }

            outcomes.Add(outcome);
            if (_sendQueued)
            {
                return;
            }

            _sendQueued = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static reports => reports.Send(), this, preferLocal: false);
    }

    private void Send()
    {
        Dictionary<int, List<AttemptOutcome>> batch;
        lock (_lock)
        {
            (batch, _pending) = (_pending, []);
            _sendQueued = false;
        }

        // One-way messages: a lost one is caught by the shard's deadline for the attempt.
        foreach (var (shard, outcomes) in batch)
        {
            grains.GetGrain<ISchedulerShardGrain>(shard).ReportOutcomes(outcomes).Ignore();
        }
    }
}

using JobScheduler.Abstractions.Executions;
using Orleans.Concurrency;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// Receives the outcome of an execution it watches (see <see cref="IJobGrain.WatchExecution"/>). Notifications
/// are best effort: one is lost when the shard holding the subscription fails over, so a watcher also reads the
/// execution now and then.
/// </summary>
[Alias("js.IExecutionObserver")]
public interface IExecutionObserver : IGrainObserver
{
    /// <summary>Receives the final status of a watched execution; sent one way, so a slow observer never delays a shard.</summary>
    [Alias("OnExecutionFinished"), OneWay]
    Task OnExecutionFinished(ExecutionOutcome outcome);
}

using JobScheduler.Abstractions.Grains;
using Orleans.Concurrency;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// The per-silo entry point of execution. Orleans allows only a few non-reentrant activations of a
/// stateless worker per silo, so the grain never runs an attempt itself: it queues it on the silo's
/// <see cref="SiloExecutor"/> and returns.
/// </summary>
[StatelessWorker]
public sealed class ExecutionWorkerGrain(SiloExecutor executor) : Grain, IExecutionWorkerGrain
{
    public async Task Execute(IReadOnlyList<AttemptRequest> attempts)
    {
        foreach (var attempt in attempts)
        {
            await executor.EnqueueAsync(attempt);
        }
    }

    public Task Cancel(string executionId, string reason)
    {
        executor.Cancel(executionId, reason);
        return Task.CompletedTask;
    }
}

using Orleans.Concurrency;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// The per-silo entry point of execution (a stateless worker, so always local to the caller).
/// It hands attempts to the silo's bounded executor and returns at once.
/// </summary>
[Alias("js.IExecutionWorkerGrain")]
public interface IExecutionWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Queues attempts on this silo's executor.</summary>
    [Alias("Execute"), OneWay]
    Task Execute(IReadOnlyList<AttemptRequest> attempts);

    /// <summary>Cancels a running attempt on this silo; it ends CANCELLED and is not retried.</summary>
    [Alias("Cancel"), OneWay]
    Task Cancel(string executionId, string reason);
}

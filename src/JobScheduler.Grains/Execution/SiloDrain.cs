using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Shards;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// Graceful shutdown. When the host stops (SIGTERM), and before any hosted service stops, the silo hands its
/// shards to the other silos, so no new attempt is dispatched here and firing continues there, then waits up
/// to <see cref="SchedulerClusterOptions.DrainGrace"/> for the attempts running here to finish and report
/// their outcomes. The executor then stops as before: attempts still running are cancelled, recorded FAILED
/// and retried with the same idempotency key.
/// </summary>
public sealed partial class SiloDrain(
    ShardPlacement placement,
    SiloExecutor executor,
    IOptions<SchedulerClusterOptions> options,
    ILogger<SiloDrain> logger) : IHostedLifecycleService
{
    /// <summary>How long the hand-over may take before the silo drains with the shards it still holds.</summary>
    private static readonly TimeSpan HandOverTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time for the last outcomes to leave the silo: an attempt stops counting as running before its final
    /// history row commits and its outcome message is sent.
    /// </summary>
    private static readonly TimeSpan OutcomeSettleTime = TimeSpan.FromSeconds(1);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var grace = options.Value.DrainGrace;
        LogDrainStarted(logger, grace.TotalSeconds);
        var handOver = await HandOverAsync(cancellationToken);
        var left = await executor.WaitForIdleAsync(grace, cancellationToken);
        await Task.Delay(OutcomeSettleTime, CancellationToken.None);

        // A shard that arrived during the wait (rebalancing elsewhere) leaves now.
        if (handOver >= 0)
        {
            await HandOverAsync(cancellationToken);
        }

        LogDrainFinished(logger, left);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<int> HandOverAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await placement.HandOverAsync(HandOverTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The silo may not be a cluster member any more (it is stopping); its shards restart elsewhere.
            LogHandOverFailed(logger, exception);
            return -1;
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information,
        Message = "Stopping: handing shards to the other silos, then draining running attempts for up to {GraceSeconds} s")]
    private static partial void LogDrainStarted(ILogger logger, double graceSeconds);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information,
        Message = "Drain finished; {Left} attempts were still running or queued and will be cancelled and retried")]
    private static partial void LogDrainFinished(ILogger logger, int left);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "Handing shards over failed; they restart on another silo after this one stops")]
    private static partial void LogHandOverFailed(ILogger logger, Exception exception);
}

using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Activates every shard when the silo becomes active and again on each membership change, so a shard
/// whose silo died is re-activated (and rebuilds its wheel from the due-index) within the failure
/// detection time. Placement is Orleans' work: this only makes sure every shard is running somewhere, and,
/// when a silo joins, moves this silo's share of the shards to it (<see cref="ShardPlacement.RebalanceAsync"/>).
/// </summary>
public sealed partial class ShardActivator(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ShardPlacement placement,
    IOptions<SchedulerOptions> options,
    IOptions<SchedulerClusterOptions> cluster,
    ILogger<ShardActivator> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Time a joining silo gets to finish its start before shards move to it.</summary>
    private static readonly TimeSpan JoinSettleTime = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ShardActivator), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private async Task OnStartAsync(CancellationToken cancellationToken)
    {
        await ActivateAllAsync();
        _watch = Task.Run(WatchMembershipAsync, CancellationToken.None);
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchMembershipAsync()
    {
        try
        {
            var seen = membership.CurrentSnapshot.Version;
            var active = ActiveSilos(membership.CurrentSnapshot);
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                // The stream also repeats the current snapshot; only a new version can have moved shards.
                if (snapshot.Version <= seen)
                {
                    continue;
                }

                seen = snapshot.Version;
                LogMembershipChanged(logger, snapshot.Version.Value);
                await ActivateAllAsync();
                var previous = active;
                active = ActiveSilos(snapshot);
                if (cluster.Value.RebalanceOnJoin && !active.IsSubsetOf(previous))
                {
                    await Task.Delay(JoinSettleTime, _stopping.Token);
                    await RebalanceAsync();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Silo stopping.
        }
    }

    private async Task ActivateAllAsync()
    {
        var count = options.Value.ShardCount;
        var pings = Enumerable.Range(0, count).Select(PingAsync);
        var failures = (await Task.WhenAll(pings)).Count(ok => !ok);
        LogShardsActivated(logger, count - failures, count);
    }

    private async Task RebalanceAsync()
    {
        try
        {
            await placement.RebalanceAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRebalanceFailed(logger, exception);
        }
    }

    private static HashSet<SiloAddress> ActiveSilos(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress).ToHashSet();

    private async Task<bool> PingAsync(int shard)
    {
        try
        {
            await grains.GetGrain<ISchedulerShardGrain>(shard).Ping();
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogShardPingFailed(logger, exception, shard);
            return false;
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "{Active} of {Count} shards are active")]
    private static partial void LogShardsActivated(ILogger logger, int active, int count);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Could not activate shard {Shard}; its reminder will retry")]
    private static partial void LogShardPingFailed(ILogger logger, Exception exception, int shard);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Cluster membership changed (version {Version}); re-activating shards")]
    private static partial void LogMembershipChanged(ILogger logger, long version);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "Rebalancing shards after a silo joined failed; the next membership change tries again")]
    private static partial void LogRebalanceFailed(ILogger logger, Exception exception);
}

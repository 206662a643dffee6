using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Moves shards between silos: evens them out when a silo joins, and hands a draining silo's shards to the
/// others. Each move is a grain migration (<see cref="ISchedulerShardGrain.MigrateTo"/>), which carries the
/// shard's in-memory attempts, so no fired instant is lost or fired twice by a move.
/// </summary>
public sealed partial class ShardPlacement(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IOptions<SchedulerOptions> options,
    ILogger<ShardPlacement> logger)
{
    /// <summary>Moves this silo's share of the shards so that every active silo has about as many.</summary>
    public async Task RebalanceAsync()
    {
        var silos = ActiveSilos().ToList();
        var locations = await LocateAllAsync();
        var moves = ShardBalancePlan.Plan(locations, silos)
            .Where(move => locations[move.Shard].Equals(local.SiloAddress))
            .ToList();
        var moved = await MigrateAsync(moves);
        LogRebalanced(logger, moved, silos.Count, locations.Count(l => l.Value.Equals(local.SiloAddress)) - moved);
    }

    /// <summary>
    /// Moves every shard active on this silo to the other active silos, round-robin, and waits up to
    /// <paramref name="timeout"/> until none is left here. Returns the shards still here (0 when all moved).
    /// </summary>
    public async Task<int> HandOverAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var targets = ActiveSilos().Where(silo => !silo.Equals(local.SiloAddress)).OrderBy(silo => silo.ToString(), StringComparer.Ordinal).ToList();
        if (targets.Count == 0)
        {
            LogNoHandOverTarget(logger);
            return -1;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var here = (await LocateAllAsync()).Where(l => l.Value.Equals(local.SiloAddress)).Select(l => l.Key).ToList();
            if (here.Count == 0 || DateTime.UtcNow >= deadline || cancellationToken.IsCancellationRequested)
            {
                LogHandedOver(logger, here.Count, targets.Count);
                return here.Count;
            }

            await MigrateAsync(here.Select(shard => (shard, targets[shard % targets.Count])).ToList());
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    private IEnumerable<SiloAddress> ActiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress);

    private async Task<Dictionary<int, SiloAddress>> LocateAllAsync()
    {
        var shards = Enumerable.Range(0, options.Value.ShardCount).ToList();
        var silos = await Task.WhenAll(shards.Select(shard => grains.GetGrain<ISchedulerShardGrain>(shard).Locate()));
        return shards.ToDictionary(shard => shard, shard => silos[shard]);
    }

    private async Task<int> MigrateAsync(IReadOnlyList<(int Shard, SiloAddress Target)> moves)
    {
        var started = await Task.WhenAll(moves.Select(move => grains.GetGrain<ISchedulerShardGrain>(move.Shard).MigrateTo(move.Target)));
        return started.Count(ok => ok);
    }

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information,
        Message = "Rebalancing: {Moved} shards leave this silo for the others ({Silos} active silos); {Kept} stay")]
    private static partial void LogRebalanced(ILogger logger, int moved, int silos, int kept);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information,
        Message = "Hand-over: {Left} shards remain on this silo after handing the others to {Targets} silos")]
    private static partial void LogHandedOver(ILogger logger, int left, int targets);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information,
        Message = "Hand-over skipped: no other silo is active, so the shards stop with this one and start again on the next")]
    private static partial void LogNoHandOverTarget(ILogger logger);
}

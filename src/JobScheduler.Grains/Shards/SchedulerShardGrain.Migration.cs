using JobScheduler.Abstractions.Grains;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Migration: a shard moves to another silo for rebalancing or when its silo drains. The new activation
/// rebuilds its wheel from the due-index as on any activation. Attempts that exist only in memory move with
/// the shard: those waiting for capacity, catch-up runs (both already fired, so the due-index no longer has
/// them) and the leases of attempts in flight. Without them a move would lose fired instants, or a lease whose
/// outcome reached the old activation would lapse on the new one and retry an attempt that had succeeded.
/// </summary>
public sealed partial class SchedulerShardGrain : IGrainMigrationParticipant
{
    private const string PendingKey = "pending";
    private const string CatchUpsKey = "catch-ups";
    private const string InFlightKey = "in-flight";

    /// <summary>True when this activation took over a migrated one: its in-flight set is complete as carried.</summary>
    private bool _migratedIn;

    /// <summary>The silo this activation runs on; an active grain always has one.</summary>
    private SiloAddress Silo => GrainContext.Address.SiloAddress!;

    public Task<SiloAddress> Locate() => Task.FromResult(Silo);

    public Task<bool> MigrateTo(SiloAddress target)
    {
        if (target.Equals(Silo))
        {
            return Task.FromResult(false);
        }

        // The placement director reads the hint from the request context that MigrateOnIdle captures.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        LogMigrating(_logger, _shard, target.ToString(), _pending.Count, _inFlight.Count);
        return Task.FromResult(true);
    }

    public void OnDehydrate(IDehydrationContext context)
    {
        context.TryAddValue(PendingKey, _pending.UnorderedItems.Select(item => item.Element).ToList());
        context.TryAddValue(CatchUpsKey, _catchUps.UnorderedItems.Select(item => new CarriedAttempt(item.Element, item.Priority)).ToList());
        context.TryAddValue(InFlightKey, _inFlight.Values.Select(running => new CarriedAttempt(running.Attempt, running.Deadline)).ToList());
    }

    public void OnRehydrate(IRehydrationContext context)
    {
        _migratedIn = true;
        if (context.TryGetValue(PendingKey, out List<AttemptRequest>? pending))
        {
            pending!.ForEach(Enqueue);
        }

        if (context.TryGetValue(CatchUpsKey, out List<CarriedAttempt>? catchUps))
        {
            catchUps!.ForEach(carried => _catchUps.Enqueue(carried.Attempt, carried.At));
        }

        if (context.TryGetValue(InFlightKey, out List<CarriedAttempt>? inFlight))
        {
            inFlight!.ForEach(carried => TrackLease(carried.Attempt, carried.At));
        }
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information,
        Message = "Shard {Shard} migrates to silo {Target} with {Pending} waiting and {InFlight} in-flight attempts")]
    private static partial void LogMigrating(ILogger logger, int shard, string target, int pending, int inFlight);
}

/// <summary>An attempt carried to a shard's new activation, with its release time or lease deadline.</summary>
[GenerateSerializer, Alias("js.CarriedAttempt")]
public sealed record CarriedAttempt([property: Id(0)] AttemptRequest Attempt, [property: Id(1)] DateTimeOffset At);

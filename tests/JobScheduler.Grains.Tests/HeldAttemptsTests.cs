using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Execution;

namespace JobScheduler.Grains.Tests;

/// <summary>A held attempt may start only within lease minus heartbeat (20 s here) of its last lease renewal.</summary>
public sealed class HeldAttemptsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset Dispatched = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithinLimitOfDispatch_Starts()
    {
        var held = HoldOne(out var attempt);

        Assert.True(held.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(20), Limit));
        Assert.Equal(1, held.Count);
    }

    [Fact]
    public void PastLimitWithoutRenewal_DroppedAndReleased()
    {
        var held = HoldOne(out var attempt);

        Assert.False(held.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(21), Limit));
        Assert.Equal(0, held.Count);
    }

    [Fact]
    public void PastLimitAfterHeartbeat_Starts()
    {
        var held = HoldOne(out var attempt);
        held.StartHeartbeats(Dispatched.AddSeconds(5));

        Assert.Null(held.Heartbeat(Dispatched.AddSeconds(15), Limit));

        Assert.True(held.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(30), Limit));
    }

    [Fact]
    public void HeartbeatAfterStall_RenewsNothing()
    {
        var held = HoldOne(out var attempt);
        held.StartHeartbeats(Dispatched);

        var gap = held.Heartbeat(Dispatched.AddSeconds(25), Limit);

        Assert.Equal(TimeSpan.FromSeconds(25), gap);
        Assert.False(held.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(25), Limit));
    }

    [Fact]
    public void HeartbeatAfterStall_KeepsQueuedOnesFromStarting()
    {
        var held = HoldOne(out var queued);
        var running = Attempt(shard: 5);
        held.Hold(running, Dispatched);
        Assert.True(held.TryStart(running.ExecutionId, Dispatched, Limit));
        held.StartHeartbeats(Dispatched);
        held.Heartbeat(Dispatched.AddSeconds(25), Limit);
        var later = Attempt(shard: 4) with { DispatchedAt = Dispatched.AddSeconds(26) };
        held.Hold(later, Dispatched.AddSeconds(26));

        Assert.Null(held.Heartbeat(Dispatched.AddSeconds(35), Limit));

        Assert.False(held.TryStart(queued.ExecutionId, Dispatched.AddSeconds(36), Limit));
        Assert.True(held.TryStart(later.ExecutionId, Dispatched.AddSeconds(50), Limit));
        Assert.Equal(2, held.Count);
    }

    [Fact]
    public void HeldAfterStallBegan_KeepsItsLease()
    {
        var held = new HeldAttempts();
        held.StartHeartbeats(Dispatched);
        var fresh = Attempt(shard: 6) with { DispatchedAt = Dispatched.AddSeconds(25) };
        held.Hold(fresh, Dispatched.AddSeconds(25));

        Assert.Equal(TimeSpan.FromSeconds(26), held.Heartbeat(Dispatched.AddSeconds(26), Limit));

        Assert.True(held.TryStart(fresh.ExecutionId, Dispatched.AddSeconds(40), Limit));
    }

    [Fact]
    public void StaleQueuedAttempt_GetsNoHeartbeat()
    {
        var held = HoldOne(out var stale);
        var running = Attempt(shard: 7);
        held.Hold(running, Dispatched);
        Assert.True(held.TryStart(running.ExecutionId, Dispatched.AddSeconds(1), Limit));

        var heartbeats = held.ByShard(Dispatched.AddSeconds(25), Limit).ToList();

        var (shard, executionIds) = Assert.Single(heartbeats);
        Assert.Equal(7, shard);
        Assert.Equal([running.ExecutionId], executionIds);
        Assert.NotEqual(stale.ExecutionId, running.ExecutionId);
    }

    private static HeldAttempts HoldOne(out AttemptRequest attempt)
    {
        var held = new HeldAttempts();
        attempt = Attempt(shard: 3);
        held.Hold(attempt, Dispatched.AddSeconds(1));
        return held;
    }

    private static AttemptRequest Attempt(int shard) =>
        ManualAttempts.New(Dispatched, "held-user", RecordingHandler.Name) with { Shard = shard, DispatchedAt = Dispatched };
}

using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Execution;

namespace JobScheduler.Grains.Tests;

/// <summary>A attempts attempt may start only within lease minus heartbeat (20 s here) of its last lease renewal.</summary>
public sealed class HeldAttemptsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset Dispatched = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithinLimitOfDispatch_Starts()
    {
        var attempts = HoldOne(out var attempt);

        Assert.True(attempts.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(20), Limit));
        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public void PastLimitWithoutRenewal_DroppedAndReleased()
    {
        var attempts = HoldOne(out var attempt);

        Assert.False(attempts.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(21), Limit));
        Assert.Equal(0, attempts.Count);
    }

    [Fact]
    public void PastLimitAfterHeartbeat_Starts()
    {
        var attempts = HoldOne(out var attempt);
        attempts.StartHeartbeats(Dispatched.AddSeconds(5));

        Assert.Null(attempts.Heartbeat(Dispatched.AddSeconds(15), Limit));

        Assert.True(attempts.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(30), Limit));
    }

    [Fact]
    public void HeartbeatAfterStall_RenewsNothing()
    {
        var attempts = HoldOne(out var attempt);
        attempts.StartHeartbeats(Dispatched);

        var gap = attempts.Heartbeat(Dispatched.AddSeconds(25), Limit);

        Assert.Equal(TimeSpan.FromSeconds(25), gap);
        Assert.False(attempts.TryStart(attempt.ExecutionId, Dispatched.AddSeconds(25), Limit));
    }

    [Fact]
    public void HeartbeatAfterStall_KeepsQueuedOnesFromStarting()
    {
        var attempts = HoldOne(out var queued);
        var running = Attempt(shard: 5);
        attempts.Hold(running, Dispatched);
        Assert.True(attempts.TryStart(running.ExecutionId, Dispatched, Limit));
        attempts.StartHeartbeats(Dispatched);
        attempts.Heartbeat(Dispatched.AddSeconds(25), Limit);
        var later = Attempt(shard: 4) with { DispatchedAt = Dispatched.AddSeconds(26) };
        attempts.Hold(later, Dispatched.AddSeconds(26));

        Assert.Null(attempts.Heartbeat(Dispatched.AddSeconds(35), Limit));

        Assert.False(attempts.TryStart(queued.ExecutionId, Dispatched.AddSeconds(36), Limit));
        Assert.True(attempts.TryStart(later.ExecutionId, Dispatched.AddSeconds(50), Limit));
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public void HeldAfterStallBegan_KeepsItsLease()
    {
        var attempts = new HeldAttempts();
        attempts.StartHeartbeats(Dispatched);
        var fresh = Attempt(shard: 6) with { DispatchedAt = Dispatched.AddSeconds(25) };
        attempts.Hold(fresh, Dispatched.AddSeconds(25));

        Assert.Equal(TimeSpan.FromSeconds(26), attempts.Heartbeat(Dispatched.AddSeconds(26), Limit));

        Assert.True(attempts.TryStart(fresh.ExecutionId, Dispatched.AddSeconds(40), Limit));
    }

    [Fact]
    public void StaleQueuedAttempt_GetsNoHeartbeat()
    {
        var attempts = HoldOne(out var stale);
        var running = Attempt(shard: 7);
        attempts.Hold(running, Dispatched);
        Assert.True(attempts.TryStart(running.ExecutionId, Dispatched.AddSeconds(1), Limit));

        var heartbeats = attempts.ByShard(Dispatched.AddSeconds(25), Limit).ToList();

        var (shard, executionIds) = Assert.Single(heartbeats);
        Assert.Equal(7, shard);
        Assert.Equal([running.ExecutionId], executionIds);
        Assert.NotEqual(stale.ExecutionId, running.ExecutionId);
    }

    private static HeldAttempts HoldOne(out AttemptRequest attempt)
    {
        var attempts = new HeldAttempts();
        attempt = Attempt(shard: 3);
        attempts.Hold(attempt, Dispatched.AddSeconds(1));
        return attempts;
    }

    private static AttemptRequest Attempt(int shard) =>
        ManualAttempts.New(Dispatched, "attempts-user", RecordingHandler.Name) with { Shard = shard, DispatchedAt = Dispatched };
}

using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Shards;

/// <summary>
/// A commit whose result comes late. With another silo in the cluster, a shard hands an attempt to the executor
/// only after its lease row commits. Here the row commits, then its result is held back for 24 s: a silo that
/// hung between the two. Meanwhile a newer activation may have adopted the lease and retried the attempt. So the
/// shard renews the lease with a fenced write before the hand-off, and hands nothing over when the shard was
/// claimed elsewhere.
/// </summary>
public sealed class LateCommitHandOffTests : IsolatedCluster<LateCommitHandOffTests.SiloConfigurator>
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 9, 14, 6, 0, 0, TimeSpan.Zero));
    private static readonly GatedDueIndex DueIndex = new();
    private static readonly BlockingHandler Handler = new();

    /// <summary>Two silos, so the shard waits for commits before each hand-off.</summary>
    protected override short SiloCount => 2;

    [Fact]
    public async Task ClaimedElsewhereDuringLateCommit_NotStarted()
    {
        var attempt = NewAttempt();
        await DispatchWithLateCommitAsync(attempt);

        await DueIndex.ClaimShardAsync(attempt.Shard, "newer-silo");
        DueIndex.ReleaseLeaseWrite();
        await Task.Delay(2000);

        Assert.Empty(Handler.StartedOf(attempt.JobId));
    }

    [Fact]
    public async Task StillOwnedAfterLateCommit_StartsOnce()
    {
        var attempt = NewAttempt();
        await DispatchWithLateCommitAsync(attempt);

        var renewedAt = Time.GetUtcNow();
        DueIndex.ReleaseLeaseWrite();
        await Eventually.HoldsAsync(() => Handler.StartedOf(attempt.JobId).Count == 1, "the attempt starts");

        var lease = Assert.Single(await DueIndex.ReadDueRetriesAsync(attempt.Shard, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.True(lease.IsLease);
        Assert.Equal(renewedAt.AddSeconds(30), lease.Due);
        Assert.Equal(renewedAt, lease.Attempt.DispatchedAt);

        Handler.Release(attempt.ExecutionId);
        await Task.Delay(500);
        Assert.Single(Handler.StartedOf(attempt.JobId));
    }

    /// <summary>Dispatches the attempt, lets its lease row commit, then lets 24 s pass before its result returns.</summary>
    private async Task DispatchWithLateCommitAsync(AttemptRequest attempt)
    {
        var applied = DueIndex.HoldNextLeaseWrite(attempt.ExecutionId);
        await Grains.GetGrain<ISchedulerShardGrain>(attempt.Shard).DispatchNow(attempt);
        await applied.WaitAsync(TimeSpan.FromSeconds(10));

        // Steps shorter than the 5 s stall threshold, so only the late result can reveal the gap.
        for (var step = 0; step < 8; step++)
        {
            Time.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(100);
        }
    }

    private static AttemptRequest NewAttempt() => ManualAttempts.New(Time.GetUtcNow(), "late-commit-user", BlockingHandler.Name);

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(siloBuilder, Time, new Dictionary<string, IJobHandler> { [BlockingHandler.Name] = Handler }, DueIndex);
    }
}

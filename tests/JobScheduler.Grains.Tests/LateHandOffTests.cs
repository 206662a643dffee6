using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// An executor does not start an attempt that reaches it too late to keep its lease (30 s lease, 10 s heartbeats):
/// its shard declares it lost and retries it, so running it as well would run it twice. This happens when a hung
/// silo's hand-off is forwarded after the silo wakes up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LateHandOffTests(ClusterFixture fixture)
{
    [Fact]
    public async Task HandOffAfterTwentySeconds_IsNotStarted()
    {
        var late = Attempt(dispatchedSecondsAgo: 21);
        var timely = Attempt(dispatchedSecondsAgo: 19);

        await fixture.Grains.GetGrain<IExecutionWorkerGrain>(0).Execute([late, timely]);
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(timely.JobId).Count == 1, "the timely attempt runs");
        await Task.Delay(300);

        Assert.Empty(RecordingHandler.Instance.RunsOf(late.JobId));
        Assert.Equal(timely.ExecutionId, RecordingHandler.Instance.RunsOf(timely.JobId)[0].ExecutionId);
    }

    private static AttemptRequest Attempt(int dispatchedSecondsAgo)
    {
        var now = ClusterFixture.Time.GetUtcNow();
        return ManualAttempts.New(now, "late-hand-off-user", RecordingHandler.Name) with { DispatchedAt = now.AddSeconds(-dispatchedSecondsAgo) };
    }
}

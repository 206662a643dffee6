using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Tests;

/// <summary>A job with <c>jitterSeconds</c> starts at its nominal instant plus a fixed offset, keyed at the nominal instant.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JitterClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task JitteredRun_StartsAtOffsetWithNominalKey()
    {
        // The next whole minute is the nominal instant; pick a job id whose offset is large enough to observe.
        var now = ClusterFixture.Time.GetUtcNow();
        var expectedNominal = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var jobId = JobIds.NewJobId(now);
        while (StartJitter.Offset(jobId, expectedNominal, 20) <= TimeSpan.FromMilliseconds(500))
        {
            jobId = JobIds.NewJobId(now);
        }

        var definition = JobDefinitions.Recurring("0 * * * * *") with { JitterSeconds = 20, MaxExecutions = 1 };
        var created = await fixture.Grains.GetGrain<IJobGrain>(jobId).Create("jitter-user", definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var nominal = created.Value!.NextExecutionAt!.Value;
        Assert.Equal(expectedNominal, nominal);
        var offset = StartJitter.Offset(jobId, nominal, 20);
        Assert.True(offset > TimeSpan.FromMilliseconds(500), $"This test needs an offset above 0.5 s; got {offset}.");

        ClusterFixture.Time.Advance(nominal - ClusterFixture.Time.GetUtcNow() + offset - TimeSpan.FromMilliseconds(300));
        await Task.Delay(300);
        Assert.Empty(RecordingHandler.Instance.RunsOf(jobId));

        ClusterFixture.Time.Advance(TimeSpan.FromMilliseconds(300));
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 1, "jittered run");
        var run = RecordingHandler.Instance.RunsOf(jobId)[0];
        Assert.Equal(nominal, run.ScheduledAt);
        Assert.Equal($"{jobId}:{nominal.ToUnixTimeMilliseconds()}", run.IdempotencyKey);
    }
}

using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Tests.Shards;

/// <summary>
/// A job grain's call to a shard on a dead silo is retried and can reach the shard's next activation after that
/// activation loaded the same version from the due-index and fired it. The repeated call must not fire the
/// instant again. The tests send the repeated call straight to the shard.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepeatedUpsertTests(ClusterFixture fixture)
{
    private const string User = "repeated-upsert-user";

    private static RecordingHandler Handler => RecordingHandler.Instance;

    [Fact]
    public async Task OneTimeRepeatedVersion_NotFiredAgain()
    {
        var now = ClusterFixture.Time.GetUtcNow();
        var due = now.AddSeconds(3);
        var jobId = JobIds.NewJobId(now);
        var definition = JobDefinitions.OneTime(due);
        Assert.True((await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(User, definition)).IsSuccess);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.HoldsAsync(() => Handler.RunsOf(jobId).Count == 1, "the one-time job ran");

        await ShardOf(jobId).Upsert(Snapshot(jobId, definition, JobType.OneTime, now, due));
        await AdvanceAsync(seconds: 5);

        var run = Assert.Single(Handler.RunsOf(jobId));
        Assert.Equal(due, run.ScheduledAt);
    }

    [Fact]
    public async Task RecurringRepeatedVersion_NotMovedBack()
    {
        var now = ClusterFixture.Time.GetUtcNow();
        var jobId = JobIds.NewJobId(now);
        var definition = JobDefinitions.Recurring("0 0 * * * *");
        Assert.True((await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(User, definition)).IsSuccess);
        var first = Schedule("0 0 * * * *", now).GetNextOccurrence(now)!.Value;
        ClusterFixture.Time.Advance(first - now);
        await Eventually.HoldsAsync(() => Handler.RunsOf(jobId).Count == 1, "the first instant ran");

        // The repeated call carries the first instant, which already ran.
        await ShardOf(jobId).Upsert(Snapshot(jobId, definition, JobType.Recurring, now, first));
        await AdvanceAsync(seconds: 5);

        var run = Assert.Single(Handler.RunsOf(jobId));
        Assert.Equal(first, run.ScheduledAt);
    }

    private ISchedulerShardGrain ShardOf(string jobId) =>
        fixture.Grains.GetGrain<ISchedulerShardGrain>(ShardMap.ShardOf(jobId, 64));

    /// <summary>The version-1 snapshot the job grain sent when it created the job.</summary>
    private static ShardJob Snapshot(string jobId, JobDefinition definition, JobType type, DateTimeOffset createdAt, DateTimeOffset due) => new()
    {
        JobId = jobId,
        UserId = User,
        Version = 1,
        Type = type,
        ScheduleExpression = definition.ScheduleExpression!,
        Anchor = createdAt,
        Target = definition.Target!,
        Payload = definition.Payload,
        NextDue = due,
        MisfireThreshold = 60,
    };

    private static Schedule Schedule(string cron, DateTimeOffset anchor)
    {
        Assert.True(ScheduleParser.TryParse(ScheduleParser.RecurringType, cron, "UTC", anchor, out var schedule, out _));
        return schedule;
    }

    /// <summary>Moves the fake clock in one-second steps, giving the silo real time to tick after each.</summary>
    private static async Task AdvanceAsync(int seconds)
    {
        for (var step = 0; step < seconds; step++)
        {
            ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }
    }
}

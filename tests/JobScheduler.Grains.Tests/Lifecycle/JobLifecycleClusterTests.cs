using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage.Memory;

namespace JobScheduler.Grains.Tests.Lifecycle;

/// <summary>Replace, pause, resume and delete on a real cluster, driven by the fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JobLifecycleClusterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ScheduleChange_NeverFiresAtOnce()
    {
        // A daily-time change scaled down to a minute: last run at :10, changed at :40 to fire at second 20.
        const string user = "bh27";
        var minute = AdvanceToSecond(0);
        var (jobId, job) = await CreateAsync(user, JobDefinitions.Recurring("10 * * * * *"));
        Assert.Equal(minute.AddSeconds(10), job.NextExecutionAt);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitForRecordedRunsAsync(user, jobId, 1);

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(30));
        var updated = await Grain(jobId).Update(user, JobDefinitions.Recurring("20 * * * * *"), expectedVersion: 1);

        Assert.True(updated.IsSuccess, updated.Error?.Message);
        Assert.Equal(2, updated.Value!.Version);
        Assert.Equal(minute.AddSeconds(80), updated.Value.NextExecutionAt);
        await Task.Delay(300);
        Assert.Single(RecordingHandler.Instance.RunsOf(jobId));

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(39));
        await Task.Delay(300);
        Assert.Single(RecordingHandler.Instance.RunsOf(jobId));
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 2, "run under the new schedule");
        Assert.Equal([minute.AddSeconds(10), minute.AddSeconds(80)], RecordingHandler.Instance.RunsOf(jobId).Select(r => r.ScheduledAt).ToList());
    }

    [Fact]
    public async Task PauseResume_DoesNotReplayPausedWindow()
    {
        // '*/5 * * * * *' created at :50, paused at :02, resumed at :22.
        const string user = "bh23";
        var created = AdvanceToSecond(50);
        var (jobId, _) = await CreateAsync(user, JobDefinitions.Recurring("*/5 * * * * *"));
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 1, "run at :55");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
        await WaitForRecordedRunsAsync(user, jobId, 2);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(2));

        var paused = await Grain(jobId).Pause(user, expectedVersion: null);
        Assert.Equal(JobStatus.Paused, paused.Value!.Status);
        Assert.Null(paused.Value.NextExecutionAt);
        for (var step = 0; step < 4; step++)
        {
            ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(100);
        }

        Assert.Equal(2, RecordingHandler.Instance.RunsOf(jobId).Count);
        var resumed = await Grain(jobId).Resume(user, expectedVersion: null);
        Assert.Equal(JobStatus.Active, resumed.Value!.Status);
        Assert.Equal(created.AddSeconds(35), resumed.Value.NextExecutionAt);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 3, "run at :25");

        var instants = RecordingHandler.Instance.RunsOf(jobId).Select(r => r.ScheduledAt).ToList();
        Assert.Equal([created.AddSeconds(5), created.AddSeconds(10), created.AddSeconds(35)], instants);
    }

    [Fact]
    public async Task PauseResume_KeepsMaxExecutionsCount()
    {
        const string user = "max-executions";
        AdvanceToSecond(30);
        var (jobId, _) = await CreateAsync(user, JobDefinitions.Recurring("*/1 * * * * *") with { MaxExecutions = 3 });
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitForRecordedRunsAsync(user, jobId, 1);

        await Grain(jobId).Pause(user, null);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        await Grain(jobId).Resume(user, null);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitForRecordedRunsAsync(user, jobId, 2);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => (await Grain(jobId).GetJob(user)).Value!.Status == JobStatus.Completed, "job completed");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(300);

        Assert.Equal(3, RecordingHandler.Instance.RunsOf(jobId).Count);
    }

    [Fact]
    public async Task Delete_KeepsJobReadableAndReleasesQuota()
    {
        const string user = "deleter";
        var quota = fixture.Grains.GetGrain<IUserGrain>(JobIds.UserKey(user));
        AdvanceToSecond(10);
        var (jobId, _) = await CreateAsync(user, JobDefinitions.Recurring("*/1 * * * * *"));
        Assert.Equal(1, await quota.GetActiveJobCount());
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitForRecordedRunsAsync(user, jobId, 1);

        var deleted = await Grain(jobId).Delete(user, expectedVersion: 1);

        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        Assert.Equal(JobStatus.Deleted, deleted.Value!.Status);
        Assert.Equal(2, deleted.Value.Version);
        Assert.Null(deleted.Value.NextExecutionAt);
        Assert.Equal(0, await quota.GetActiveJobCount());
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(300);
        Assert.Single(RecordingHandler.Instance.RunsOf(jobId));
        Assert.Equal(JobStatus.Deleted, (await Grain(jobId).GetJob(user)).Value!.Status);
        Assert.Single((await Grain(jobId).ListExecutions(user, 10, null)).Value!.Items);

        var again = await Grain(jobId).Delete(user, null);
        Assert.Equal(2, again.Value!.Version);
        Assert.Equal(0, await quota.GetActiveJobCount());
        Assert.Equal(ApiErrorKind.Conflict, (await Grain(jobId).Pause(user, null)).Error?.Kind);
        Assert.Equal(ApiErrorKind.Conflict, (await Grain(jobId).Resume(user, null)).Error?.Kind);
        Assert.Equal(ApiErrorKind.Conflict, (await Grain(jobId).Update(user, JobDefinitions.Recurring("* * * * *"), null)).Error?.Kind);
    }

    [Fact]
    public async Task Changes_CheckOwnerBeforeVersion()
    {
        const string user = "owner";
        var (jobId, _) = await CreateAsync(user, JobDefinitions.Recurring("0 0 1 1 *"));
        var job = Grain(jobId);

        Assert.Equal(ApiErrorKind.NotFound, (await job.Update("mallory", JobDefinitions.Recurring("* * * * *"), 7)).Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await job.Delete("mallory", null)).Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await job.Pause("mallory", null)).Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await job.Resume("mallory", null)).Error?.Kind);

        var stale = await job.Update(user, JobDefinitions.Recurring("* * * * *"), 7);
        Assert.Equal(ApiErrorKind.PreconditionFailed, stale.Error?.Kind);
        Assert.Equal("If-Match", stale.Error?.Field);
        Assert.Equal(2, (await job.Pause(user, 1)).Value!.Version);
        Assert.Equal(ApiErrorKind.PreconditionFailed, (await job.Resume(user, 1)).Error?.Kind);
        Assert.Equal(JobStatus.Paused, (await job.GetJob(user)).Value!.Status);
        var resumed = await job.Resume(user, 2);
        Assert.Equal(JobStatus.Active, resumed.Value!.Status);
        Assert.Equal(3, resumed.Value.Version);
    }

    [Fact]
    public async Task JobIndex_FollowsNameAndStatus()
    {
        const string user = "indexed";
        var (jobId, _) = await CreateAsync(user, JobDefinitions.Recurring("0 0 1 1 *"));

        await Grain(jobId).Update(user, JobDefinitions.Recurring("0 0 1 1 *") with { Name = "renamed" }, null);
        Assert.Equal(("renamed", JobStatus.Active), await IndexRowAsync(user, jobId));
        await Grain(jobId).Pause(user, null);
        Assert.Equal(("renamed", JobStatus.Paused), await IndexRowAsync(user, jobId));
        await Grain(jobId).Resume(user, null);
        Assert.Equal(("renamed", JobStatus.Active), await IndexRowAsync(user, jobId));
        await Grain(jobId).Delete(user, null);
        Assert.Equal(("renamed", JobStatus.Deleted), await IndexRowAsync(user, jobId));
    }

    [Fact]
    public async Task CompletedOneTime_RenameDoesNotRerun()
    {
        const string user = "one-time-edit";
        var quota = fixture.Grains.GetGrain<IUserGrain>(JobIds.UserKey(user));
        var due = AdvanceToSecond(20).AddSeconds(1);
        var (jobId, _) = await CreateAsync(user, JobDefinitions.OneTime(due));
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => (await Grain(jobId).GetJob(user)).Value!.Status == JobStatus.Completed, "job completed");
        await WaitForRecordedRunsAsync(user, jobId, 1);
        Assert.Equal(0, await quota.GetActiveJobCount());

        var renamed = await Grain(jobId).Update(user, JobDefinitions.OneTime(due) with { Name = "renamed" }, null);
        Assert.Equal(JobStatus.Completed, renamed.Value!.Status);
        Assert.Equal(0, await quota.GetActiveJobCount());

        var later = ClusterFixture.Time.GetUtcNow().AddSeconds(2);
        var rescheduled = await Grain(jobId).Update(user, JobDefinitions.OneTime(later), null);
        Assert.Equal(JobStatus.Active, rescheduled.Value!.Status);
        Assert.Equal(later, rescheduled.Value.NextExecutionAt);
        Assert.Equal(1, await quota.GetActiveJobCount());
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 2, "second run");
        Assert.Equal([due, later], RecordingHandler.Instance.RunsOf(jobId).Select(r => r.ScheduledAt).ToList());
    }

    [Fact]
    public async Task UpdateToPastOneTime_IsRejected()
    {
        const string user = "past-edit";
        var (jobId, _) = await CreateAsync(user, JobDefinitions.OneTime(ClusterFixture.Time.GetUtcNow().AddHours(1)));

        var result = await Grain(jobId).Update(user, JobDefinitions.OneTime(ClusterFixture.Time.GetUtcNow().AddSeconds(-1)), null);

        Assert.Equal(ApiErrorKind.Validation, result.Error?.Kind);
        Assert.Equal("scheduleExpression", result.Error?.Field);
        Assert.Equal(1, (await Grain(jobId).GetJob(user)).Value!.Version);
    }

    private static DateTimeOffset AdvanceToSecond(int second)
    {
        var now = ClusterFixture.Time.GetUtcNow();
        var whole = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(1);
        while (whole.Second != second)
        {
            whole = whole.AddSeconds(1);
        }

        ClusterFixture.Time.Advance(whole - now);
        return whole;
    }

    /// <summary>Waits until the history contains <paramref name="count"/> finished scheduled runs, which later changes count from.</summary>
    private async Task WaitForRecordedRunsAsync(string user, string jobId, int count) =>
        await Eventually.HoldsAsync(
            async () => (await Grain(jobId).ListExecutions(user, 100, null)).Value!.Items
                .Count(e => e.Trigger == ExecutionTrigger.Schedule && e.Status == ExecutionStatus.Succeeded) == count,
            $"{count} recorded runs");

    private static async Task<(string Name, JobStatus Status)> IndexRowAsync(string user, string jobId)
    {
        var row = (await MemoryStores.JobIndex.ListAsync(user, 500, null)).Single(r => r.JobId == jobId);
        return (row.Name, row.Status);
    }

    private IJobGrain Grain(string jobId) => fixture.Grains.GetGrain<IJobGrain>(jobId);

    private async Task<(string JobId, JobInfo Job)> CreateAsync(string user, JobDefinition definition)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var result = await Grain(jobId).Create(user, definition);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return (jobId, result.Value!);
    }
}

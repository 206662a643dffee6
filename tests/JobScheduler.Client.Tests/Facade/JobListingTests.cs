using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client.Jobs;

namespace JobScheduler.Client.Tests.Facade;

/// <summary><see cref="IJobScheduler.ListJobsAsync"/> against the shared silo, each test with users of its own.</summary>
[Collection(SiloCollection.Name)]
public sealed class JobListingTests(SiloFixture fixture)
{
    [Fact]
    public async Task ListJobs_FiltersByStatusAndName()
    {
        var scheduler = fixture.Scheduler.ForUser("list-" + Guid.NewGuid().ToString("N"));
        var (first, second, deleted) = await CreateThreeAsync(scheduler);

        var all = await scheduler.ListJobsAsync();
        var paused = await scheduler.ListJobsAsync(status: JobStatus.Paused);
        var deletedOnly = await scheduler.ListJobsAsync(status: JobStatus.Deleted);
        var alpha = await scheduler.ListJobsAsync(namePrefix: "ALPHA");
        var none = await scheduler.ForUser("list-nobody-" + Guid.NewGuid().ToString("N")).ListJobsAsync();

        Assert.Equal(Ordered(first, second), all.Items.Select(job => job.JobId).ToList());
        Assert.Null(all.NextCursor);
        var pausedJob = Assert.Single(paused.Items);
        Assert.Equal(new JobSummary(second.JobId, "alpha-2", JobStatus.Paused, second.CreatedAt), pausedJob);
        var deletedJob = Assert.Single(deletedOnly.Items);
        Assert.Equal(new JobSummary(deleted.JobId, "beta", JobStatus.Deleted, deleted.CreatedAt), deletedJob);
        Assert.Equal(Ordered(first, second), alpha.Items.Select(job => job.JobId).ToList());
        Assert.Empty(none.Items);
        Assert.Null(none.NextCursor);
    }

    [Fact]
    public async Task ListJobs_PagesWithCursor()
    {
        var scheduler = fixture.Scheduler.ForUser("page-" + Guid.NewGuid().ToString("N"));
        var (first, second, _) = await CreateThreeAsync(scheduler);
        var expected = Ordered(first, second);

        var page1 = await scheduler.ListJobsAsync(limit: 1);
        var listed = page1.Items.Select(job => job.JobId).ToList();
        var cursor = page1.NextCursor;
        while (cursor is not null)
        {
            var page = await scheduler.ListJobsAsync(limit: 1, cursor: cursor);
            listed.AddRange(page.Items.Select(job => job.JobId));
            cursor = page.NextCursor;
        }

        Assert.Equal([expected[0]], page1.Items.Select(job => job.JobId).ToList());
        Assert.NotNull(page1.NextCursor);
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task ListJobs_InvalidInput_ThrowsWithField()
    {
        var limit = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ListJobsAsync(limit: 501));
        var cursor = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ListJobsAsync(cursor: "not-a-cursor"));
        var name = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ListJobsAsync(namePrefix: "a\nb"));
        var status = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ListJobsAsync(status: (JobStatus)42));

        Assert.Equal((ApiErrorKind.Validation, "limit"), (limit.Kind, limit.Field));
        Assert.Equal((ApiErrorKind.Validation, "cursor"), (cursor.Kind, cursor.Field));
        Assert.Equal((ApiErrorKind.Validation, "name"), (name.Kind, name.Field));
        Assert.Equal((ApiErrorKind.Validation, "status"), (status.Kind, status.Field));
    }

    /// <summary>Creates an active job "alpha-1", a paused job "alpha-2" and a deleted job "beta".</summary>
    private static async Task<(JobInfo First, JobInfo Second, JobInfo Deleted)> CreateThreeAsync(IJobScheduler scheduler)
    {
        var first = await scheduler.CreateAsync(Job.Recurring("alpha-1").Cron("0 0 1 1 *").Handler(RecordingHandler.Name));
        var second = await scheduler.CreateAsync(Job.Recurring("alpha-2").Cron("0 0 1 1 *").Handler(RecordingHandler.Name));
        var deleted = await scheduler.CreateAsync(Job.Recurring("beta").Cron("0 0 1 1 *").Handler(RecordingHandler.Name));
        await scheduler.PauseAsync(second.JobId);
        await scheduler.DeleteAsync(deleted.JobId);
        return (first, second, deleted);
    }

    /// <summary>Job ids in listing order: the client picks random ULIDs, so two jobs created in one millisecond may swap.</summary>
    private static List<string> Ordered(params JobInfo[] jobs) =>
        jobs.Select(job => job.JobId).Order(StringComparer.Ordinal).ToList();
}

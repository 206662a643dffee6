using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;

namespace JobScheduler.Storage.Tests;

/// <summary>The job index contract; every implementation runs the same tests.</summary>
public abstract class JobIndexContract
{
    protected abstract IJobIndex Create();

    [Fact]
    public async Task List_PagesOneUsersJobsInIdOrder()
    {
        var index = Create();
        foreach (var id in new[] { "job_C", "job_A", "job_B" })
        {
            await index.UpsertAsync(new JobIndexEntry(id, "alice", "report " + id, JobStatus.Active, Samples.Now));
        }

        await index.UpsertAsync(new JobIndexEntry("job_Z", "bob", "other", JobStatus.Active, Samples.Now));

        var first = await index.ListAsync("alice", 2, null);
        var second = await index.ListAsync("alice", 2, first[^1].JobId);

        Assert.Equal(["job_A", "job_B"], first.Select(e => e.JobId).ToList());
        Assert.Equal(["job_C"], second.Select(e => e.JobId).ToList());
    }

    [Fact]
    public async Task Upsert_UpdatesStatusAndName()
    {
        var index = Create();
        await index.UpsertAsync(new JobIndexEntry("job_U", "alice", "before", JobStatus.Active, Samples.Now));

        await index.UpsertAsync(new JobIndexEntry("job_U", "alice", "after", JobStatus.Paused, Samples.Now));

        var entry = Assert.Single(await index.ListAsync("alice", 10, null));
        Assert.Equal(new JobIndexEntry("job_U", "alice", "after", JobStatus.Paused, Samples.Now), entry);
    }

    [Fact]
    public async Task Upsert_ConcurrentWritesKeepLast()
    {
        var index = Create();

        await Task.WhenAll(Enumerable.Range(1, 50).Select(version =>
            index.UpsertAsync(new JobIndexEntry("job_W", "alice", $"v{version}", JobStatus.Active, Samples.Now, version)).AsTask()));

        Assert.Equal(new JobIndexEntry("job_W", "alice", "v50", JobStatus.Active, Samples.Now, 50), await index.GetAsync("job_W"));
    }

    [Fact]
    public async Task Complete_MarksActiveRowsAtVersion()
    {
        var index = Create();
        await index.UpsertAsync(new JobIndexEntry("job_A", "alice", "a", JobStatus.Active, Samples.Now, 1));
        await index.UpsertAsync(new JobIndexEntry("job_B", "bob", "b", JobStatus.Active, Samples.Now, 3));
        await index.UpsertAsync(new JobIndexEntry("job_C", "alice", "c", JobStatus.Active, Samples.Now, 2));
        await index.UpsertAsync(new JobIndexEntry("job_D", "alice", "d", JobStatus.Paused, Samples.Now, 1));
        await index.UpsertAsync(new JobIndexEntry("job_E", "alice", "e", JobStatus.Active, Samples.Now));

        var completed = await index.CompleteAsync(
            [new("job_A", 1), new("job_B", 3), new("job_C", 1), new("job_D", 1), new("job_E", 4), new("job_X", 1)]);

        Assert.Equal(
            [("job_A", "alice", 1L), ("job_B", "bob", 3L), ("job_E", "alice", 4L)],
            completed.Select(e => (e.JobId, e.UserId, e.Version)).Order().ToList());
        Assert.All(completed, e => Assert.Equal(JobStatus.Completed, e.Status));
        Assert.Equal(new JobIndexEntry("job_C", "alice", "c", JobStatus.Active, Samples.Now, 2), await index.GetAsync("job_C"));
        Assert.Equal(JobStatus.Paused, (await index.GetAsync("job_D"))!.Status);
        Assert.Null(await index.GetAsync("job_X"));
    }

    [Fact]
    public async Task Complete_RepeatsUntilJobChanges()
    {
        var index = Create();
        await index.UpsertAsync(new JobIndexEntry("job_R", "alice", "r", JobStatus.Active, Samples.Now, 1));
        await index.CompleteAsync([new("job_R", 1)]);

        var again = await index.CompleteAsync([new("job_R", 1)]);
        await index.UpsertAsync(new JobIndexEntry("job_R", "alice", "r", JobStatus.Deleted, Samples.Now, 2));
        var afterDelete = await index.CompleteAsync([new("job_R", 1)]);

        Assert.Equal(new JobIndexEntry("job_R", "alice", "r", JobStatus.Completed, Samples.Now, 1), Assert.Single(again));
        Assert.Empty(afterDelete);
        Assert.Equal(JobStatus.Deleted, (await index.GetAsync("job_R"))!.Status);
    }
}

public sealed class MemoryJobIndexTests : JobIndexContract
{
    protected override IJobIndex Create() => new MemoryJobIndex();
}

public sealed class PostgresJobIndexTests(SchemaDatabase database) : JobIndexContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    protected override IJobIndex Create() => new PostgresJobIndex(database.DataSource);

    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_jobs");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

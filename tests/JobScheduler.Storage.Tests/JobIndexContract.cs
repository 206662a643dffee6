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

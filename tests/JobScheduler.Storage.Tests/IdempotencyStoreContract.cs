using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;

namespace JobScheduler.Storage.Tests;

/// <summary>The idempotency key contract; every implementation runs the same tests.</summary>
public abstract class IdempotencyStoreContract
{
    private const string Fingerprint = "POST /api/v1/jobs 5f1c";

    private static readonly StoredResponse Created = new(201, "/api/v1/jobs/job_01KBJ0000000000000000000JB", "\"1\"", """{"jobId":"job_01KBJ0000000000000000000JB"}""");

    protected abstract IIdempotencyStore Create();

    [Fact]
    public async Task Claim_RoundTripsWithoutResponse()
    {
        var store = Create();
        await store.SaveAsync("alice", "key-1", new IdempotencyRecord(Fingerprint, Samples.Now, null));

        var record = await store.FindAsync("alice", "key-1");

        Assert.Equal(new IdempotencyRecord(Fingerprint, Samples.Now, null), record);
    }

    [Fact]
    public async Task Completion_ReplacesClaimWithResponse()
    {
        var store = Create();
        await store.SaveAsync("alice", "key-1", new IdempotencyRecord(Fingerprint, Samples.Now, null));
        await store.SaveAsync("alice", "key-1", new IdempotencyRecord(Fingerprint, Samples.Now, Created));

        var record = await store.FindAsync("alice", "key-1");

        Assert.Equal(new IdempotencyRecord(Fingerprint, Samples.Now, Created), record);
    }

    [Fact]
    public async Task Keys_AreSeparatePerUser()
    {
        var store = Create();
        await store.SaveAsync("alice", "key-1", new IdempotencyRecord(Fingerprint, Samples.Now, Created));

        Assert.Null(await store.FindAsync("bob", "key-1"));
        Assert.Null(await store.FindAsync("alice", "key-2"));
    }

    [Fact]
    public async Task Delete_RemovesOneKey()
    {
        var store = Create();
        await store.SaveAsync("alice", "key-1", new IdempotencyRecord(Fingerprint, Samples.Now, null));
        await store.SaveAsync("alice", "key-2", new IdempotencyRecord(Fingerprint, Samples.Now, null));

        await store.DeleteAsync("alice", "key-1");

        Assert.Null(await store.FindAsync("alice", "key-1"));
        Assert.NotNull(await store.FindAsync("alice", "key-2"));
    }

    [Fact]
    public async Task Retention_DeletesOnlyOlderRecords()
    {
        var store = Create();
        await store.SaveAsync("alice", "old", new IdempotencyRecord(Fingerprint, Samples.Now.AddHours(-25), Created));
        await store.SaveAsync("alice", "new", new IdempotencyRecord(Fingerprint, Samples.Now.AddHours(-23), Created));

        var deleted = await store.DeleteCreatedBeforeAsync(Samples.Now.AddHours(-24));

        Assert.Equal(1, deleted);
        Assert.Null(await store.FindAsync("alice", "old"));
        Assert.NotNull(await store.FindAsync("alice", "new"));
    }
}

public sealed class MemoryIdempotencyStoreTests : IdempotencyStoreContract
{
    protected override IIdempotencyStore Create() => new MemoryIdempotencyStore();
}

public sealed class PostgresIdempotencyStoreTests(SchemaDatabase database) : IdempotencyStoreContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    protected override IIdempotencyStore Create() => new PostgresIdempotencyStore(database.DataSource);

    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_idempotency_keys");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

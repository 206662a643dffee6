using System.Collections.Concurrent;
using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Lifecycle;

/// <summary>
/// A create whose silo died after writing the job and before its shard row leaves a job that never fires. The
/// gateway's repeated call completes it through <see cref="IJobGrain.CompleteCreate"/>. The due-index here drops
/// the create's row write to stand in for the dead silo.
/// </summary>
public sealed class CreateRepairTests : IsolatedCluster<CreateRepairTests.SiloConfigurator>
{
    private const string User = "repair-user";
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 10, 5, 11, 0, 0, TimeSpan.Zero));
    private static readonly LossyDueIndex DueIndex = new();

    [Fact]
    public async Task JobWithoutShardRow_IsScheduledOnce()
    {
        var jobId = JobIds.NewJobId(Time.GetUtcNow());
        var shard = ShardMap.ShardOf(jobId, 64);
        var job = Grains.GetGrain<IJobGrain>(jobId);
        DueIndex.DropNextUpsertOf(jobId);
        Assert.True((await job.Create(User, JobDefinitions.Recurring("0 0 1 1 *"))).IsSuccess);
        Assert.Null(await DueIndex.ReadJobAsync(shard, jobId));

        var completed = await job.CompleteCreate(User);
        var again = await job.CompleteCreate(User);

        Assert.True(completed.IsSuccess, completed.Error?.Message);
        Assert.True(again.IsSuccess, again.Error?.Message);
        var row = await DueIndex.ReadJobAsync(shard, jobId);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), row?.NextDue);
        Assert.Equal(1, row?.Version);
        Assert.Equal(1, DueIndex.UpsertsOf(jobId));
        Assert.Equal(ApiErrorKind.NotFound, (await job.CompleteCreate("mallory")).Error?.Kind);
    }

    /// <summary>A memory due-index that can lose one job row write, as a silo dying before the write would.</summary>
    private sealed class LossyDueIndex : IDueIndex
    {
        private readonly MemoryDueIndex _inner = new();
        private readonly ConcurrentDictionary<string, bool> _drop = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _upserts = new(StringComparer.Ordinal);

        public void DropNextUpsertOf(string jobId) => _drop[jobId] = true;

        /// <summary>Job row writes that were kept, per job.</summary>
        public int UpsertsOf(string jobId) => _upserts.GetValueOrDefault(jobId);

        public ValueTask UpsertAsync(int shard, long epoch, ShardJob job, CancellationToken cancellationToken = default)
        {
            if (_drop.TryRemove(job.JobId, out _))
            {
                return ValueTask.CompletedTask;
            }

            _upserts.AddOrUpdate(job.JobId, 1, (_, count) => count + 1);
            return _inner.UpsertAsync(shard, epoch, job, cancellationToken);
        }

        public ValueTask<long> ClaimShardAsync(int shard, string owner, CancellationToken cancellationToken = default) =>
            _inner.ClaimShardAsync(shard, owner, cancellationToken);

        public ValueTask RemoveAsync(int shard, long epoch, string jobId, long version, CancellationToken cancellationToken = default) =>
            _inner.RemoveAsync(shard, epoch, jobId, version, cancellationToken);

        public ValueTask<ShardJob?> ReadJobAsync(int shard, string jobId, CancellationToken cancellationToken = default) =>
            _inner.ReadJobAsync(shard, jobId, cancellationToken);

        public ValueTask<IReadOnlyList<ShardJob>> ReadDueAsync(int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            _inner.ReadDueAsync(shard, from, to, cancellationToken);

        public ValueTask UpsertRetryAsync(int shard, long epoch, RetryEntry retry, CancellationToken cancellationToken = default) =>
            _inner.UpsertRetryAsync(shard, epoch, retry, cancellationToken);

        public ValueTask RemoveRetryAsync(int shard, long epoch, string executionId, CancellationToken cancellationToken = default) =>
            _inner.RemoveRetryAsync(shard, epoch, executionId, cancellationToken);

        public ValueTask<IReadOnlyList<RetryEntry>> RemoveRetriesOfJobAsync(int shard, long epoch, string jobId, CancellationToken cancellationToken = default) =>
            _inner.RemoveRetriesOfJobAsync(shard, epoch, jobId, cancellationToken);

        public ValueTask<IReadOnlyList<RetryEntry>> ReadDueRetriesAsync(int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            _inner.ReadDueRetriesAsync(shard, from, to, cancellationToken);
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(siloBuilder, Time, new Dictionary<string, IJobHandler> { [RecordingHandler.Name] = new RecordingHandler() }, DueIndex);
    }
}

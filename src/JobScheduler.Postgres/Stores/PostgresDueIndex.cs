using System.Text.Json;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// The due-index: jobs' next instants in <c>js_due_index</c> and retries in <c>js_due_retries</c>. Writes
/// are group-committed; each batch first reads the epochs of the shards it touches under a share lock, so a
/// write whose epoch is stale fails with <see cref="ShardFencedException"/> and a concurrent claim waits
/// for the batch to commit.
/// </summary>
public sealed class PostgresDueIndex : IDueIndex, IAsyncDisposable
{
    private const int MaxBatch = 2000;

    /// <summary>How long a flush transaction may sit idle on the server before PostgreSQL ends it.</summary>
    private static readonly TimeSpan IdleTransactionTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitWriter<DueWrite> _writer;

    public PostgresDueIndex(NpgsqlDataSource database, ILogger<PostgresDueIndex> logger)
    {
        _database = database;
        _writer = new GroupCommitWriter<DueWrite>("due-index", MaxBatch, FlushAsync, logger);
    }

    public async ValueTask<long> ClaimShardAsync(int shard, string owner, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand("""
            INSERT INTO js_shard_epochs (shard, epoch, owner, claimed_at) VALUES ($1, 1, $2, now())
            ON CONFLICT (shard) DO UPDATE SET epoch = js_shard_epochs.epoch + 1, owner = excluded.owner, claimed_at = excluded.claimed_at
            RETURNING epoch
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public ValueTask UpsertAsync(int shard, long epoch, ShardJob job, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(DueWrite.JobRow(shard, epoch, job.JobId, job.Version, job)));

    public ValueTask RemoveAsync(int shard, long epoch, string jobId, long version, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(DueWrite.JobRow(shard, epoch, jobId, version, null)));

    public ValueTask UpsertRetryAsync(int shard, long epoch, RetryEntry retry, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(DueWrite.RetryRow(shard, epoch, retry.Attempt.ExecutionId, retry)));

    public ValueTask RemoveRetryAsync(int shard, long epoch, string executionId, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(DueWrite.RetryRow(shard, epoch, executionId, null)));

    public async ValueTask<IReadOnlyList<RetryEntry>> RemoveRetriesOfJobAsync(int shard, long epoch, string jobId, CancellationToken cancellationToken = default)
    {
        // Not batched: deleting a job is rare. The epoch is checked in the same statement.
        await using var command = _database.CreateCommand("""
            DELETE FROM js_due_retries r
            USING js_shard_epochs e
            WHERE r.shard = $1 AND e.shard = $1 AND e.epoch = $2 AND r.attempt->'attempt'->>'jobId' = $3
            RETURNING r.attempt
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = epoch });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        var removed = new List<RetryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            removed.Add(JsonSerializer.Deserialize<RetryEntry>(reader.GetString(0), StoredJson.Options)!);
        }

        return removed;
    }

    public async ValueTask<ShardJob?> ReadJobAsync(int shard, string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand("SELECT snapshot FROM js_due_index WHERE shard = $1 AND job_id = $2");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<ShardJob>(json, StoredJson.Options)
            : null;
    }

    public async ValueTask<IReadOnlyList<ShardJob>> ReadDueAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = await ReadJsonAsync(
            "SELECT snapshot FROM js_due_index WHERE shard = $1 AND due_at >= $2 AND due_at < $3 ORDER BY due_at",
            shard, from, to, cancellationToken);
        return rows.Select(json => JsonSerializer.Deserialize<ShardJob>(json, StoredJson.Options)!).ToList();
    }

    public async ValueTask<IReadOnlyList<RetryEntry>> ReadDueRetriesAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = await ReadJsonAsync(
            "SELECT attempt FROM js_due_retries WHERE shard = $1 AND due_at >= $2 AND due_at < $3 ORDER BY due_at",
            shard, from, to, cancellationToken);
        return rows.Select(json => JsonSerializer.Deserialize<RetryEntry>(json, StoredJson.Options)!).ToList();
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task<List<string>> ReadJsonAsync(
        string sql, int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(from) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(to) });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private async Task FlushAsync(IReadOnlyList<QueuedWrite<DueWrite>> batch, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LimitIdleTimeAsync(connection, cancellationToken);

        var epochs = await ReadEpochsAsync(connection, batch.Select(w => w.Item.Shard).Distinct().ToArray(), cancellationToken);
        bool Accepted(DueWrite write) => epochs.GetValueOrDefault(write.Shard) == write.Epoch;

        // Only the last write of a row in the batch matters, and one statement cannot touch a row twice.
        var latest = batch
            .Where(w => Accepted(w.Item))
            .GroupBy(w => (w.Item.Shard, w.Item.IsRetry, w.Item.Key))
            .Select(group => group.Last().Item)
            .ToList();
        await DueIndexStatements.UpsertJobsAsync(connection, latest.Where(w => !w.IsRetry && w.Value is not null).ToList(), cancellationToken);
        await DueIndexStatements.DeleteJobsAsync(connection, latest.Where(w => !w.IsRetry && w.Value is null).ToList(), cancellationToken);
        await DueIndexStatements.UpsertRetriesAsync(connection, latest.Where(w => w.IsRetry && w.Value is not null).ToList(), cancellationToken);
        await DueIndexStatements.DeleteRetriesAsync(connection, latest.Where(w => w.IsRetry && w.Value is null).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        foreach (var write in batch)
        {
            if (Accepted(write.Item))
            {
                write.Complete();
            }
            else
            {
                write.Fail(new ShardFencedException(write.Item.Shard, write.Item.Epoch));
            }
        }
    }

    /// <summary>
    /// Ends this transaction on the server when the silo leaves it idle for <see cref="IdleTransactionTimeout"/>.
    /// A silo that hangs mid-flush (SIGSTOP, a frozen VM) would otherwise keep its locks on the epochs and rows
    /// of its shards, and their next owners on other silos would wait until it woke up.
    /// </summary>
    private static async Task LimitIdleTimeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var milliseconds = (int)IdleTransactionTimeout.TotalMilliseconds;
        await using var command = new NpgsqlCommand($"SET LOCAL idle_in_transaction_session_timeout = {milliseconds}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, long>> ReadEpochsAsync(NpgsqlConnection connection, int[] shards, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT shard, epoch FROM js_shard_epochs WHERE shard = ANY($1) FOR SHARE", connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = shards });
        var epochs = new Dictionary<int, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            epochs[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return epochs;
    }
}

/// <summary>
/// A queued due-index write. <see cref="Key"/> is the job id of a job row or the execution id of a retry
/// row; a null <see cref="Value"/> deletes the row.
/// </summary>
internal sealed record DueWrite(int Shard, long Epoch, bool IsRetry, string Key, long Version, object? Value)
{
    public static DueWrite JobRow(int shard, long epoch, string jobId, long version, ShardJob? job) =>
        new(shard, epoch, false, jobId, version, job);

    public static DueWrite RetryRow(int shard, long epoch, string executionId, RetryEntry? retry) =>
        new(shard, epoch, true, executionId, 0, retry);
}

using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// Execution history in <c>js_executions</c>, written in group-committed batches; a save completes when
/// its batch commits. Reads prune to one day partition by the timestamp inside the execution id.
/// </summary>
public sealed class PostgresExecutionStore : IExecutionStore, IAsyncDisposable
{
    private const int MaxBatch = 2000;

    private const string Columns = "execution_id, job_id, user_id, status, trigger, scheduled_at, started_at, finished_at, attempt, error, idempotency_key, response_status, response_body";

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitWriter<ExecutionInfo> _writer;

    public PostgresExecutionStore(NpgsqlDataSource database, ILogger<PostgresExecutionStore> logger)
    {
        _database = database;
        _writer = new GroupCommitWriter<ExecutionInfo>("history", MaxBatch, FlushAsync, logger);
    }

    public ValueTask SaveAsync(ExecutionInfo execution, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(execution));

    public async ValueTask<ExecutionInfo?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand(
            $"SELECT {Columns} FROM js_executions WHERE execution_id = $1 AND created_at = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = executionId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = ExecutionColumns.CreatedAt(executionId) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async ValueTask<IReadOnlySet<string>> FindScheduledKeysAsync(
        IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand(
            "SELECT DISTINCT idempotency_key FROM js_executions WHERE idempotency_key = ANY($1) AND attempt = 1 AND trigger = 'SCHEDULE'");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = idempotencyKeys.ToArray() });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    public async ValueTask<ExecutionPage> ListByJobAsync(
        string jobId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand($"""
            SELECT {Columns} FROM js_executions
            WHERE job_id = $1 AND ($2::text IS NULL OR execution_id < $2)
            ORDER BY execution_id DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });

        var items = new List<ExecutionInfo>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        if (items.Count <= limit)
        {
            return new ExecutionPage(items, null);
        }

        items.RemoveAt(limit);
        return new ExecutionPage(items, items[^1].ExecutionId);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task FlushAsync(IReadOnlyList<QueuedWrite<ExecutionInfo>> batch, CancellationToken cancellationToken)
    {
        // One statement cannot update a row twice: keep each execution's most advanced record.
        var rows = batch
            .Select(write => write.Item)
            .GroupBy(execution => execution.ExecutionId)
            .Select(group => group.OrderBy(e => ExecutionColumns.Rank(e.Status)).Last())
            .ToList();

        await using var command = _database.CreateCommand("""
            INSERT INTO js_executions (execution_id, created_at, job_id, user_id, status, status_rank, trigger,
                scheduled_at, started_at, finished_at, attempt, error, idempotency_key, response_status, response_body)
            SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::smallint[],
                $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::integer[], $12::text[],
                $13::text[], $14::integer[], $15::text[])
            ON CONFLICT (execution_id, created_at) DO UPDATE
                SET status = excluded.status, status_rank = excluded.status_rank,
                    started_at = coalesce(excluded.started_at, js_executions.started_at),
                    finished_at = excluded.finished_at, attempt = excluded.attempt, error = excluded.error,
                    response_status = excluded.response_status, response_body = excluded.response_body
                WHERE js_executions.status_rank <= excluded.status_rank
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.ExecutionId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(r => ExecutionColumns.CreatedAt(r.ExecutionId)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.JobId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.UserId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => ExecutionColumns.StatusName(r.Status)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = rows.Select(r => ExecutionColumns.Rank(r.Status)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => ExecutionColumns.TriggerName(r.Trigger)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(r => Timestamps.ToUtc(r.ScheduledAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = rows.Select(r => Timestamps.ToUtc(r.StartedAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = rows.Select(r => Timestamps.ToUtc(r.FinishedAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.AttemptNumber).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rows.Select(r => r.Error).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.IdempotencyKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = rows.Select(r => r.ResponseStatusCode).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = rows.Select(r => r.ResponseBody).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private static ExecutionInfo Read(NpgsqlDataReader reader) => new()
    {
        ExecutionId = reader.GetString(0),
        JobId = reader.GetString(1),
        UserId = reader.GetString(2),
        Status = ExecutionColumns.ParseStatus(reader.GetString(3)),
        Trigger = ExecutionColumns.ParseTrigger(reader.GetString(4)),
        ScheduledAt = Timestamps.FromUtc(reader.GetDateTime(5)),
        StartedAt = reader.IsDBNull(6) ? null : Timestamps.FromUtc(reader.GetDateTime(6)),
        FinishedAt = reader.IsDBNull(7) ? null : Timestamps.FromUtc(reader.GetDateTime(7)),
        AttemptNumber = reader.GetInt32(8),
        Error = reader.IsDBNull(9) ? null : reader.GetString(9),
        IdempotencyKey = reader.GetString(10),
        ResponseStatusCode = reader.IsDBNull(11) ? null : reader.GetInt32(11),
        ResponseBody = reader.IsDBNull(12) ? null : reader.GetString(12),
    };
}

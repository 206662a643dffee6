using System.Text.Json;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace JobScheduler.Postgres.Stores;

/// <summary>The set-based statements one due-index batch runs: one statement per kind of change.</summary>
internal static class DueIndexStatements
{
    public static async Task UpsertJobsAsync(NpgsqlConnection connection, List<DueWrite> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var jobs = rows.Select(r => (ShardJob)r.Value!).ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO js_due_index (shard, job_id, due_at, version, snapshot)
            SELECT * FROM unnest($1::integer[], $2::text[], $3::timestamptz[], $4::bigint[], $5::jsonb[])
            ON CONFLICT (shard, job_id) DO UPDATE
                SET due_at = excluded.due_at, version = excluded.version, snapshot = excluded.snapshot
                WHERE js_due_index.version <= excluded.version
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.Shard).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = jobs.Select(j => Timestamps.ToUtc(j.NextDue)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.Version).ToArray() });
        command.Parameters.Add(JsonArray(jobs));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteJobsAsync(NpgsqlConnection connection, List<DueWrite> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            DELETE FROM js_due_index d
            USING unnest($1::integer[], $2::text[], $3::bigint[]) AS r(shard, job_id, version)
            WHERE d.shard = r.shard AND d.job_id = r.job_id AND d.version <= r.version
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.Shard).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.Version).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task UpsertRetriesAsync(NpgsqlConnection connection, List<DueWrite> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var retries = rows.Select(r => (RetryEntry)r.Value!).ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO js_due_retries (shard, execution_id, due_at, attempt)
            SELECT * FROM unnest($1::integer[], $2::text[], $3::timestamptz[], $4::jsonb[])
            ON CONFLICT (shard, execution_id) DO UPDATE SET due_at = excluded.due_at, attempt = excluded.attempt
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.Shard).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = retries.Select(r => Timestamps.ToUtc(r.Due)).ToArray() });
        command.Parameters.Add(JsonArray(retries));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteRetriesAsync(NpgsqlConnection connection, List<DueWrite> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            DELETE FROM js_due_retries d
            USING unnest($1::integer[], $2::text[]) AS r(shard, execution_id)
            WHERE d.shard = r.shard AND d.execution_id = r.execution_id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.Shard).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Key).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter JsonArray<T>(List<T> values) => new()
    {
        NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        Value = values.Select(v => JsonSerializer.Serialize(v, StoredJson.Options)).ToArray(),
    };
}

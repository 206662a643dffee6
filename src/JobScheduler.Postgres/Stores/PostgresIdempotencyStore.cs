using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using Npgsql;

namespace JobScheduler.Postgres.Stores;

/// <summary>Idempotency keys in <c>js_idempotency_keys</c>, one row per user and key.</summary>
public sealed class PostgresIdempotencyStore(NpgsqlDataSource database) : IIdempotencyStore
{
    public async ValueTask<IdempotencyRecord?> FindAsync(string userId, string key, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT fingerprint, created_at, status_code, location, etag, body FROM js_idempotency_keys
            WHERE user_id = $1 AND idempotency_key = $2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        StoredResponse? response = null;
        if (!reader.IsDBNull(2))
        {
            response = new StoredResponse(
                reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? "" : reader.GetString(5));
        }

        return new IdempotencyRecord(reader.GetString(0), Timestamps.FromUtc(reader.GetDateTime(1)), response);
    }

    public async ValueTask SaveAsync(string userId, string key, IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO js_idempotency_keys (user_id, idempotency_key, fingerprint, created_at, status_code, location, etag, body)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (user_id, idempotency_key) DO UPDATE SET
                fingerprint = excluded.fingerprint, created_at = excluded.created_at, status_code = excluded.status_code,
                location = excluded.location, etag = excluded.etag, body = excluded.body
            """);
        var response = record.Response;
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = record.Fingerprint });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(record.CreatedAt) });
        command.Parameters.Add(Nullable(response?.StatusCode, NpgsqlTypes.NpgsqlDbType.Integer));
        command.Parameters.Add(Nullable(response?.Location, NpgsqlTypes.NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(response?.ETag, NpgsqlTypes.NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(response?.Body, NpgsqlTypes.NpgsqlDbType.Text));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DeleteAsync(string userId, string key, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("DELETE FROM js_idempotency_keys WHERE user_id = $1 AND idempotency_key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<long> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("DELETE FROM js_idempotency_keys WHERE created_at < $1");
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(cutoff) });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlTypes.NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}

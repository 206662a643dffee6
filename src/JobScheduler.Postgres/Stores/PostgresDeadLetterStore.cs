using System.Text.Json;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace JobScheduler.Postgres.Stores;

/// <summary>Dead letters in <c>js_dead_letters</c>, listed per user by the id's trailing ULID, newest first.</summary>
public sealed class PostgresDeadLetterStore(NpgsqlDataSource database) : IDeadLetterStore
{
    public async ValueTask AddAsync(DeadLetterInfo deadLetter, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO js_dead_letters (dead_letter_id, sort_key, job_id, user_id, dead_lettered_at, record)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dead_letter_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.DeadLetterId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SortKey(deadLetter.DeadLetterId) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.JobId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.UserId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(deadLetter.DeadLetteredAt) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(deadLetter, StoredJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<DeadLetterInfo?> GetAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT record FROM js_dead_letters WHERE dead_letter_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetterId });
        var json = (string?)await command.ExecuteScalarAsync(cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize<DeadLetterInfo>(json, StoredJson.Options);
    }

    public async ValueTask<DeadLetterPage> ListAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT record FROM js_dead_letters
            WHERE user_id = $1 AND ($2::text IS NULL OR sort_key < $2)
            ORDER BY sort_key DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = cursor is null ? DBNull.Value : SortKey(cursor), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });

        var items = new List<DeadLetterInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(JsonSerializer.Deserialize<DeadLetterInfo>(reader.GetString(0), StoredJson.Options)!);
        }

        var more = items.Count > limit;
        if (more)
        {
            items.RemoveAt(limit);
        }

        return new DeadLetterPage(items, more ? items[^1].DeadLetterId : null);
    }

    public async ValueTask<bool> RemoveAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("DELETE FROM js_dead_letters WHERE dead_letter_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetterId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static string SortKey(string id) => id[(id.LastIndexOf('_') + 1)..];
}

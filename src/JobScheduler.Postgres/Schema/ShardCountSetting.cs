using System.Globalization;
using Npgsql;

namespace JobScheduler.Postgres.Schema;

/// <summary>
/// Records the shard count in <c>js_settings</c> the first time a silo starts on a database, and rejects a
/// later start with another count. A job's shard is a hash of its id modulo the count, so a silo with another
/// count would look for due-index rows in the wrong shards and some jobs would stop firing.
/// </summary>
public static class ShardCountSetting
{
    private const string Key = "scheduler.shard_count";

    /// <summary>Records <paramref name="shardCount"/>, or throws when the database records another count.</summary>
    /// <exception cref="InvalidOperationException">The database was created with another shard count.</exception>
    public static async Task EnsureAsync(string connectionString, int shardCount, CancellationToken cancellationToken)
    {
        var configured = shardCount.ToString(CultureInfo.InvariantCulture);
        await using var database = NpgsqlDataSource.Create(connectionString);
        await using var command = database.CreateCommand("""
            WITH inserted AS (
                INSERT INTO js_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value)
            SELECT value FROM inserted UNION ALL SELECT value FROM js_settings WHERE key = $1 LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = configured });
        var stored = (string?)await command.ExecuteScalarAsync(cancellationToken);

        if (stored != configured)
        {
            throw new InvalidOperationException(
                $"Scheduler:ShardCount is {shardCount}, but this database was set up with {stored} shards. Jobs are placed "
                + $"by the shard count, so another count would stop some of them. Set Scheduler:ShardCount={stored}.");
        }
    }
}

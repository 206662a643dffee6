using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Storage;
using Npgsql;

namespace JobScheduler.Postgres.Stores;

/// <summary>The job index in <c>js_jobs</c>, which listings read instead of activating job grains.</summary>
public sealed class PostgresJobIndex(NpgsqlDataSource database) : IJobIndex
{
    public async ValueTask UpsertAsync(JobIndexEntry entry, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            INSERT INTO js_jobs (job_id, user_id, name, status, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (job_id) DO UPDATE SET name = excluded.name, status = excluded.status
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.JobId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.UserId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusName(entry.Status) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Timestamps.ToUtc(entry.CreatedAt) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<JobIndexEntry>> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            SELECT job_id, user_id, name, status, created_at FROM js_jobs
            WHERE user_id = $1 AND ($2::text IS NULL OR job_id > $2)
            ORDER BY job_id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });

        var entries = new List<JobIndexEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JobIndexEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), ParseStatus(reader.GetString(3)),
                Timestamps.FromUtc(reader.GetDateTime(4))));
        }

        return entries;
    }

    private static string StatusName(JobStatus status) => status switch
    {
        JobStatus.Paused => "PAUSED",
        JobStatus.Completed => "COMPLETED",
        JobStatus.Deleted => "DELETED",
        _ => "ACTIVE",
    };

    private static JobStatus ParseStatus(string name) => name switch
    {
        "PAUSED" => JobStatus.Paused,
        "COMPLETED" => JobStatus.Completed,
        "DELETED" => JobStatus.Deleted,
        _ => JobStatus.Active,
    };
}

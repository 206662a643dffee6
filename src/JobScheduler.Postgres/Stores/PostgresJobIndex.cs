using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// The job index in <c>js_jobs</c>, which listings read instead of activating job grains. Upserts are
/// group-committed: concurrent creates and changes share one statement and one commit.
/// </summary>
public sealed class PostgresJobIndex : IJobIndex, IAsyncDisposable
{
    private const int MaxBatch = 1000;
    private const string Columns = "job_id, user_id, name, status, created_at, version";

    private readonly NpgsqlDataSource _database;
    private readonly GroupCommitWriter<JobIndexEntry> _writer;

    public PostgresJobIndex(NpgsqlDataSource database, ILogger<PostgresJobIndex>? logger = null)
    {
        _database = database;
        _writer = new GroupCommitWriter<JobIndexEntry>("job-index", MaxBatch, FlushAsync, logger ?? NullLogger<PostgresJobIndex>.Instance);
    }

    public ValueTask UpsertAsync(JobIndexEntry entry, CancellationToken cancellationToken = default) =>
        new(_writer.WriteAsync(entry));

    public async ValueTask<JobIndexEntry?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand($"SELECT {Columns} FROM js_jobs WHERE job_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async ValueTask<IReadOnlyList<JobIndexEntry>> CompleteAsync(
        IReadOnlyList<JobVersion> jobs, CancellationToken cancellationToken = default)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        // One statement for the whole batch. A job listed twice counts at its highest version.
        await using var command = _database.CreateCommand($"""
            UPDATE js_jobs j SET status = 'COMPLETED', version = c.version
            FROM (SELECT job_id, max(version) AS version FROM unnest($1::text[], $2::bigint[]) AS u(job_id, version) GROUP BY job_id) c
            WHERE j.job_id = c.job_id
              AND ((j.version = c.version AND j.status IN ('ACTIVE', 'COMPLETED')) OR (j.version = 0 AND j.status = 'ACTIVE'))
            RETURNING j.job_id, j.user_id, j.name, j.status, j.created_at, j.version
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = jobs.Select(j => j.JobId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = jobs.Select(j => j.Version).ToArray() });
        return await ReadAsync(command, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<JobIndexEntry>> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand($"""
            SELECT {Columns} FROM js_jobs
            WHERE user_id = $1 AND ($2::text IS NULL OR job_id > $2)
            ORDER BY job_id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, cancellationToken);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private async Task FlushAsync(IReadOnlyList<QueuedWrite<JobIndexEntry>> batch, CancellationToken cancellationToken)
    {
        // One statement cannot touch a row twice, so only the last write of a job in the batch is sent.
        var rows = batch.GroupBy(write => write.Item.JobId, StringComparer.Ordinal).Select(group => group.Last().Item).ToList();
        await using var command = _database.CreateCommand("""
            INSERT INTO js_jobs (job_id, user_id, name, status, created_at, version)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bigint[])
            ON CONFLICT (job_id) DO UPDATE SET name = excluded.name, status = excluded.status, version = excluded.version
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.JobId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.UserId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => StatusName(r.Status)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = rows.Select(r => Timestamps.ToUtc(r.CreatedAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.Version).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private static async Task<List<JobIndexEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<JobIndexEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new JobIndexEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), ParseStatus(reader.GetString(3)),
                Timestamps.FromUtc(reader.GetDateTime(4)), reader.GetInt64(5)));
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

using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JobScheduler.Postgres.Schema;

/// <summary>
/// Creates or upgrades the whole PostgreSQL schema: the Orleans ADO.NET tables and query texts and the
/// scheduler's own tables. Every silo runs it at start, so it is idempotent and safe to run concurrently.
/// </summary>
/// <remarks>
/// <para>
/// The scripts are the embedded <c>Schema/*.sql</c> files, applied in ordinal order of their file names,
/// each in its own transaction together with its row in <c>jobscheduler_schema_version</c>. A session-level
/// advisory lock (<see cref="AdvisoryLockKey"/>) serializes migrators, so silos that start together apply
/// each script once.
/// </para>
/// <para>
/// A recorded script whose text has changed is applied again only when it declares itself re-runnable
/// (<c>-- migrator: rerunnable revision=N</c>) with a revision higher than the recorded one. A lower revision
/// means a newer build already upgraded the database (for example during a rolling upgrade), so that
/// script is skipped. Any other change to an applied script is an error, because applying an edited
/// one-time script again could fail or do harm. Such a change belongs in a new numbered script.
/// </para>
/// <para>
/// Scripts run inside a transaction, so they cannot use statements that PostgreSQL forbids there,
/// such as <c>CREATE INDEX CONCURRENTLY</c>. Neither the lock wait nor a script has a command timeout:
/// the caller's cancellation token bounds them.
/// </para>
/// </remarks>
public sealed partial class SchemaMigrator
{
    /// <summary>
    /// Key of the session-level advisory lock held while migrating: the ASCII bytes of "JobSched" read as
    /// a big-endian 64-bit integer. Other code must not use this key.
    /// </summary>
    public const long AdvisoryLockKey = 0x4A6F_6253_6368_6564;

    /// <summary>Name of the table that records applied scripts.</summary>
    public const string VersionTable = "jobscheduler_schema_version";

    private readonly ILogger<SchemaMigrator> _logger;
    private readonly IReadOnlyList<SchemaScript> _scripts;

    /// <summary>Creates a migrator for the scripts embedded in this assembly.</summary>
    public SchemaMigrator(ILogger<SchemaMigrator> logger)
        : this(logger, SchemaScript.LoadEmbedded())
    {
    }

    /// <summary>Creates a migrator for the given scripts, in the order given.</summary>
    internal SchemaMigrator(ILogger<SchemaMigrator> logger, IReadOnlyList<SchemaScript> scripts)
    {
        _logger = logger;
        _scripts = scripts;
    }

    /// <summary>Names of the scripts this migrator applies, in order.</summary>
    internal IReadOnlyList<string> ScriptNames => _scripts.Select(script => script.Name).ToList();

    /// <summary>
    /// Applies every script that is not recorded yet, and re-applies re-runnable scripts whose revision
    /// increased.
    /// </summary>
    /// <returns>The number of scripts applied by this call: 0 when the schema was already up to date.</returns>
    /// <exception cref="PostgresConnectionException">The connection could not be opened.</exception>
    /// <exception cref="InvalidOperationException">
    /// A script failed, or an applied script was changed without being re-runnable.
    /// </exception>
    public async Task<int> MigrateAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = await OpenAsync(connectionString, ct);
        await AcquireLockAsync(connection, ct);
        try
        {
            await EnsureVersionTableAsync(connection, ct);
            var recorded = await ReadRecordedAsync(connection, ct);
            var applied = 0;
            foreach (var script in _scripts)
            {
                if (await ApplyIfNeededAsync(connection, script, recorded, ct))
                {
                    applied++;
                }
            }

            var unknown = recorded.Keys.Except(_scripts.Select(script => script.Name), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                LogUnknownScripts(string.Join(", ", unknown));
            }

            LogSchemaVersion(_scripts.Count == 0 ? "(no scripts)" : _scripts[^1].Name, applied);
            return applied;
        }
        finally
        {
            await ReleaseLockAsync(connection);
        }
    }

    /// <summary>
    /// Returns the server of a connection string as <c>host:port</c> (several hosts comma-separated), for
    /// logs and error messages. Never includes credentials.
    /// </summary>
    public static string DescribeServer(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return $"(no host):{builder.Port.ToString(CultureInfo.InvariantCulture)}";
        }

        var port = builder.Port.ToString(CultureInfo.InvariantCulture);
        var hosts = builder.Host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(host => WithPort(host, port));
        return string.Join(",", hosts);
    }

    /// <summary>Appends the default port to one host of a (possibly multi-host) Host setting that has none.</summary>
    private static string WithPort(string host, string port)
    {
        if (host.StartsWith('['))
        {
            // Bracketed IPv6 literal, with or without its own port: "[::1]" or "[::1]:5433".
            return host.Contains("]:", StringComparison.Ordinal) ? host : $"{host}:{port}";
        }

        var colons = host.Count(character => character == ':');
        return colons switch
        {
            0 => $"{host}:{port}",
            1 => host,
            _ => $"[{host}]:{port}",
        };
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // The message of Npgsql's ArgumentException names the keyword, not the value, so no secret leaks.
            throw new InvalidOperationException(
                $"The PostgreSQL connection string is invalid: {exception.Message} Check ConnectionStrings:JobScheduler.", exception);
        }

        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch (Exception exception) when (IsConnectFailure(exception, ct))
        {
            await connection.DisposeAsync();
            throw new PostgresConnectionException(DescribeServer(connectionString), builder.Database, DescribeConnectFailure(exception), exception);
        }
    }

    private static bool IsConnectFailure(Exception exception, CancellationToken ct) =>
        exception is NpgsqlException or SocketException or TimeoutException && !ct.IsCancellationRequested;

    /// <summary>Returns the most specific reason in the exception chain, such as "Connection refused".</summary>
    private static string DescribeConnectFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})";
                case SocketException socket:
                    return socket.Message;
                case TimeoutException:
                    return "the connection attempt timed out";
            }
        }

        return exception.Message;
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        tryLock.Parameters.AddWithValue("key", AdvisoryLockKey);
        if (await tryLock.ExecuteScalarAsync(ct) is true)
        {
            return;
        }

        LogWaitingForLock(AdvisoryLockKey);
        await using var waitForLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
        waitForLock.Parameters.AddWithValue("key", AdvisoryLockKey);
        await waitForLock.ExecuteNonQueryAsync(ct);
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", AdvisoryLockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The server releases a session lock when the connection closes, which follows right after.
            LogUnlockFailed(exception);
        }
    }

    private static async Task EnsureVersionTableAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // revision: the re-runnable script's revision when it was applied, 0 for a one-time script.
        const string sql = $"""
            CREATE TABLE IF NOT EXISTS {VersionTable}
            (
                script     text        NOT NULL PRIMARY KEY,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                revision   integer     NOT NULL DEFAULT 0
            )
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Dictionary<string, RecordedScript>> ReadRecordedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT script, checksum, revision FROM {VersionTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var recorded = new Dictionary<string, RecordedScript>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            recorded[reader.GetString(0)] = new RecordedScript(reader.GetString(1), reader.GetInt32(2));
        }

        return recorded;
    }

    /// <summary>Applies the script when it is new or a re-runnable script with a higher revision.</summary>
    /// <returns>True when the script was applied.</returns>
    private async Task<bool> ApplyIfNeededAsync(
        NpgsqlConnection connection, SchemaScript script, Dictionary<string, RecordedScript> recorded, CancellationToken ct)
    {
        if (!recorded.TryGetValue(script.Name, out var previous))
        {
            await ApplyAsync(connection, script, ct);
            LogApplied(script.Name, script.Checksum[..12]);
            return true;
        }

        if (previous.Checksum == script.Checksum)
        {
            return false;
        }

        if (script.Revision is { } revision && revision > previous.Revision)
        {
            await ApplyAsync(connection, script, ct);
            LogReapplied(script.Name, previous.Revision, revision);
            return true;
        }

        if (script.Revision is { } olderRevision && olderRevision < previous.Revision)
        {
            LogNewerRevisionKept(script.Name, previous.Revision, olderRevision);
            return false;
        }

        throw new InvalidOperationException(
            $"Schema script {script.Name} was changed after it was applied to this database "
            + $"(recorded checksum {previous.Checksum[..12]}, this build {script.Checksum[..12]}). "
            + (script.IsRerunnable
                ? $"Raise its revision above {previous.Revision} so that the change is applied."
                : "Put schema changes in a new numbered script instead, or recreate a development database."));
    }

    /// <summary>Runs the script and records it (insert or update) in one transaction.</summary>
    private static async Task ApplyAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var command = new NpgsqlCommand(script.Text, connection, transaction) { CommandTimeout = 0 })
            {
                await command.ExecuteNonQueryAsync(ct);
            }

            const string record = $"""
                INSERT INTO {VersionTable} (script, checksum, applied_at, revision)
                VALUES (@script, @checksum, now(), @revision)
                ON CONFLICT (script) DO UPDATE
                SET checksum = excluded.checksum, applied_at = excluded.applied_at, revision = excluded.revision
                """;
            await using (var command = new NpgsqlCommand(record, connection, transaction))
            {
                command.Parameters.AddWithValue("script", script.Name);
                command.Parameters.AddWithValue("checksum", script.Checksum);
                command.Parameters.AddWithValue("revision", script.Revision ?? 0);
                await command.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (PostgresException exception)
        {
            throw new InvalidOperationException(
                $"Schema script {script.Name} failed after {stopwatch.ElapsedMilliseconds} ms and was rolled back: "
                + $"{exception.MessageText} (SQLSTATE {exception.SqlState}).", exception);
        }
    }

    private sealed record RecordedScript(string Checksum, int Revision);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied schema script {Script} (checksum {Checksum})")]
    private partial void LogApplied(string script, string checksum);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Re-applied schema script {Script}: revision {OldRevision} -> {NewRevision}")]
    private partial void LogReapplied(string script, int oldRevision, int newRevision);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Schema script {Script} is at revision {RecordedRevision} in the database, newer than revision {BuildRevision} in this build; keeping the database's revision")]
    private partial void LogNewerRevisionKept(string script, int recordedRevision, int buildRevision);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "The database records schema scripts that this build does not contain (applied by a newer build): {Scripts}")]
    private partial void LogUnknownScripts(string scripts);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "PostgreSQL schema is up to date at {Version} ({Applied} scripts applied now)")]
    private partial void LogSchemaVersion(string version, int applied);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Waiting for the schema migration lock {LockKey}, held by another silo")]
    private partial void LogWaitingForLock(long lockKey);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Releasing the schema migration lock failed; the server releases it when the connection closes")]
    private partial void LogUnlockFailed(Exception exception);
}

using System.Globalization;
using JobScheduler.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using JobScheduler.Grains.Hosting;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// Keeps one <c>js_executions</c> partition per UTC day: creates the coming days ahead of time and drops
/// days past the retention, hourly. Rows of a day without a partition land in the default partition,
/// so no write is lost if this falls behind.
/// </summary>
public sealed partial class ExecutionPartitions(
    NpgsqlDataSource database,
    IOptions<HistoryOptions> options,
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
    ILogger<ExecutionPartitions> logger) : BackgroundService
{
    private const string Prefix = "js_executions_p";

    /// <summary>Advisory lock key that keeps silos from running this maintenance at the same time.</summary>
    private const long MaintenanceLock = 0x4A53_0002;

    /// <summary>Creates the partitions from yesterday to <see cref="HistoryOptions.DaysAhead"/> and drops expired ones.</summary>
    public async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MaintenanceLock})", cancellationToken);

        for (var day = today.AddDays(-1); day <= today.AddDays(options.Value.DaysAhead); day = day.AddDays(1))
        {
            await CreateAsync(connection, day, cancellationToken);
        }

        var dropped = await DropExpiredAsync(connection, today.AddDays(-options.Value.RetentionDays), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogMaintained(logger, options.Value.DaysAhead, dropped, options.Value.RetentionDays);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await MaintainAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogMaintenanceFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task CreateAsync(NpgsqlConnection connection, DateOnly day, CancellationToken cancellationToken)
    {
        var name = Prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var from = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await ExecuteAsync(connection, "SAVEPOINT partition", cancellationToken);
        try
        {
            await ExecuteAsync(connection,
                $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF js_executions FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')",
                cancellationToken);
            await ExecuteAsync(connection, "RELEASE SAVEPOINT partition", cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // The default partition already holds rows of that day; they stay there and stay readable.
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT partition", cancellationToken);
            LogPartitionSkipped(logger, name);
        }
    }

    private static async Task<int> DropExpiredAsync(NpgsqlConnection connection, DateOnly oldestKept, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent " +
            "WHERE p.relname = 'js_executions' AND c.relname LIKE 'js\\_executions\\_p%'", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        var expired = names.Where(name =>
            DateOnly.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day < oldestKept).ToList();
        foreach (var name in expired)
        {
            await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {name}", cancellationToken);
        }

        return expired.Count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
        Message = "History partitions ready {DaysAhead} days ahead; dropped {Dropped} partitions older than {RetentionDays} days")]
    private static partial void LogMaintained(ILogger logger, int daysAhead, int dropped, int retentionDays);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "History partition {Partition} was not created because the default partition already holds rows of that day")]
    private static partial void LogPartitionSkipped(ILogger logger, string partition);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "History partition maintenance failed; it runs again within an hour")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception);
}

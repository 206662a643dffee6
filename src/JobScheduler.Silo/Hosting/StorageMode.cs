using System.Net;
using JobScheduler.Grains.Hosting;
using JobScheduler.Postgres.Hosting;
using JobScheduler.Postgres.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;

namespace JobScheduler.Silo.Hosting;

/// <summary>
/// Chooses dev mode or durable mode. With <c>ConnectionStrings:JobScheduler</c> set, the silo runs on
/// PostgreSQL: Orleans ADO.NET clustering, grain state and reminders, plus the scheduler's own tables,
/// created or upgraded before the silo starts. Without it, everything lives in this process's memory.
/// </summary>
public static class StorageMode
{
    /// <summary>Name of the connection string that switches on durable mode.</summary>
    public const string ConnectionStringName = "JobScheduler";

    /// <summary>Returns the durable-mode connection string, or null in dev mode.</summary>
    public static string? ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>
    /// Creates or upgrades the schema. Throws <see cref="SiloStartupException"/> with one clear message
    /// (naming host and port) when the database cannot be reached.
    /// </summary>
    public static void Migrate(string connectionString, ILoggerFactory loggers)
    {
        try
        {
            new SchemaMigrator(loggers.CreateLogger<SchemaMigrator>())
                .MigrateAsync(connectionString, CancellationToken.None)
                .GetAwaiter()
                .GetResult();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new SiloStartupException($"The database schema could not be prepared: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Records the configured shard count in a new database, or throws <see cref="SiloStartupException"/> when the
    /// database was set up with another count.
    /// </summary>
    public static void CheckShardCount(string connectionString, IConfiguration configuration)
    {
        try
        {
            var shardCount = configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>()?.ShardCount
                ?? new SchedulerOptions().ShardCount;
            ShardCountSetting.EnsureAsync(connectionString, shardCount, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new SiloStartupException(exception.Message, exception);
        }
    }

    /// <summary>Name of the command that creates or upgrades the schema and exits.</summary>
    public const string MigrateCommand = "migrate";

    /// <summary>
    /// Runs <c>migrate</c>: creates or upgrades the schema of <c>ConnectionStrings:JobScheduler</c> and exits,
    /// for operators who upgrade the database before rolling out silos. Returns the process exit code.
    /// </summary>
    public static int RunMigrate(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        if (ConnectionString(configuration) is not { } connectionString)
        {
            Console.Error.WriteLine("migrate: set ConnectionStrings:JobScheduler (for example --ConnectionStrings:JobScheduler=\"Host=...;Database=...\").");
            return 2;
        }

        using var loggers = StartupLoggers(configuration);
        try
        {
            Migrate(connectionString, loggers);
            return 0;
        }
        catch (SiloStartupException exception)
        {
            Console.Error.WriteLine($"migrate: {exception.Message}");
            return 1;
        }
    }

    /// <summary>Configures clustering and storage for the chosen mode.</summary>
    public static void Configure(ISiloBuilder silo, IConfiguration configuration, SiloSettings settings)
    {
        var connectionString = ConnectionString(configuration);
        if (connectionString is null)
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddJobSchedulerMemoryStorage();
            return;
        }

        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedIPAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
        var pooled = PostgresConnections.WithDefaultPoolSize(connectionString);
        silo.UseJobSchedulerPostgresOrleans(pooled);
        silo.AddJobSchedulerPostgresStorage(pooled, configuration);
    }

    /// <summary>Creates a logger factory for start-up steps that run before the host exists.</summary>
    public static ILoggerFactory StartupLoggers(IConfiguration configuration) =>
        LoggerFactory.Create(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole());
}

/// <summary>The silo cannot start; the message says why and what to check. Printed without a stack trace.</summary>
public sealed class SiloStartupException(string message, Exception? inner = null) : Exception(message, inner);

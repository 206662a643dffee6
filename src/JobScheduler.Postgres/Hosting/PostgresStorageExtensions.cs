using JobScheduler.Grains.Storage;
using JobScheduler.Postgres.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JobScheduler.Postgres.Hosting;

/// <summary>Registration of the scheduler's own PostgreSQL stores (due-index, history, job index).</summary>
public static class PostgresStorageExtensions
{
    /// <summary>
    /// Replaces the in-memory stores with the PostgreSQL ones and adds history partition maintenance.
    /// The schema must already exist (<c>SchemaMigrator</c> creates it at start).
    /// </summary>
    public static ISiloBuilder AddJobSchedulerPostgresStorage(this ISiloBuilder silo, string connectionString, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<HistoryOptions>().Bind(configuration.GetSection(HistoryOptions.SectionName));
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IDueIndex, PostgresDueIndex>();
        services.AddSingleton<IExecutionStore, PostgresExecutionStore>();
        services.AddSingleton<IJobIndex, PostgresJobIndex>();
        services.AddSingleton<IDeadLetterStore, PostgresDeadLetterStore>();
        services.AddSingleton<IWebhookDeliveryStore, PostgresWebhookDeliveryStore>();
        services.AddSingleton<IIdempotencyStore, PostgresIdempotencyStore>();
        services.AddSingleton<IWebhookOutbox, PostgresWebhookOutbox>();
        services.AddHostedService<WebhookDeliveryRetention>();
        services.AddSingleton<ExecutionPartitions>();
        services.AddHostedService(sp => sp.GetRequiredService<ExecutionPartitions>());
        return silo;
    }
}

using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;

namespace JobScheduler.Postgres.Hosting;

/// <summary>
/// Orleans ADO.NET providers on PostgreSQL: clustering, grain storage and reminders. The tables and query
/// texts they read come from <c>Schema/001_orleans.sql</c>, so run <c>SchemaMigrator</c> before the silo
/// or client starts.
/// </summary>
public static class PostgresOrleansExtensions
{
    /// <summary>The ADO.NET invariant name under which Orleans loads Npgsql's provider factory.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Configures the silo for durable mode: ADO.NET clustering, grain storage for every name in
    /// <see cref="StorageNames"/> and <see cref="WebhookStorageNames"/>, and the ADO.NET reminder service, all on
    /// the given PostgreSQL database.
    /// </summary>
    public static ISiloBuilder UseJobSchedulerPostgresOrleans(this ISiloBuilder silo, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddJobSchedulerPostgresGrainStorage(StorageNames.Jobs, connectionString);
        silo.AddJobSchedulerPostgresGrainStorage(StorageNames.Users, connectionString);
        silo.AddJobSchedulerPostgresGrainStorage(WebhookStorageNames.Secrets, connectionString);
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>
    /// Adds a named ADO.NET grain storage provider on PostgreSQL that stores grain state as UTF-8 JSON
    /// written by System.Text.Json (<see cref="SystemTextJsonGrainStorageSerializer"/>).
    /// </summary>
    /// <remarks>
    /// The serializer uses the silo's <c>SystemTextJsonGrainStorageSerializerOptions</c>, which Orleans 10
    /// sets to include fields and to omit null values; property names keep their .NET spelling.
    /// <paramref name="configure"/> runs last, so it can override any option (for example
    /// <see cref="AdoNetGrainStorageOptions.DeleteStateOnClear"/>).
    /// </remarks>
    public static ISiloBuilder AddJobSchedulerPostgresGrainStorage(
        this ISiloBuilder silo, string name, string connectionString, Action<AdoNetGrainStorageOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        silo.Services.TryAddSingleton<SystemTextJsonGrainStorageSerializer>();
        silo.AddAdoNetGrainStorage(name, optionsBuilder => optionsBuilder.Configure<IServiceProvider>((options, services) =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = services.GetRequiredService<SystemTextJsonGrainStorageSerializer>();
            configure?.Invoke(options);
        }));
        return silo;
    }

    /// <summary>
    /// Configures an Orleans client to find the cluster's gateways in the PostgreSQL membership table
    /// (the ADO.NET gateway list provider).
    /// </summary>
    public static IClientBuilder UseJobSchedulerPostgresClustering(this IClientBuilder client, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        client.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return client;
    }
}

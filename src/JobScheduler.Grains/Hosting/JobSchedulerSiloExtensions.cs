using JobScheduler.Abstractions.Handlers;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Idempotency;
using JobScheduler.Grains.Jobs;
using JobScheduler.Grains.Outbound;
using JobScheduler.Grains.Shards;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Grains.Users;
using JobScheduler.Grains.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Hosting;

/// <summary>Registration of the scheduler's grains and per-silo services.</summary>
public static class JobSchedulerSiloExtensions
{
    /// <summary>
    /// Adds the scheduler to a silo: options from configuration, the shard clock, the executor, webhook delivery, the
    /// target invokers and the shard activator. Storage is added separately (<see cref="AddJobSchedulerMemoryStorage"/>).
    /// </summary>
    public static ISiloBuilder AddJobScheduler(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection(SchedulerOptions.SectionName)).ValidateOnStart();
        services.AddOptions<ExecutionOptions>().Bind(configuration.GetSection(ExecutionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ExecutionOptions>, ExecutionOptionsValidator>());
        services.AddOptions<JobLimitsOptions>().Bind(configuration.GetSection(JobLimitsOptions.SectionName));
        services.AddOptions<SchedulerClusterOptions>().Bind(configuration.GetSection(SchedulerClusterOptions.SectionName));
        services.AddOutboundAddressPolicy(configuration);
        services.TryAddKeyedSingleton(SchedulerTime.Key, TimeProvider.System);
        services.AddSingleton<ShardClock>();
        services.AddSingleton<QuotaReleases>();
        services.AddSingleton<JobHandlerNames>();
        services.AddOptions<TargetResilienceOptions>().Bind(configuration.GetSection(TargetResilienceOptions.SectionName));
        services.AddSingleton<HostResilience>();
        services.AddSingleton<HttpTargetInvoker>();
        services.AddSingleton<HandlerTargetInvoker>();
        services.AddSingleton<SiloExecutor>();
        services.AddWebhookDelivery(configuration);
        services.AddHostedService(sp => sp.GetRequiredService<SiloExecutor>());
        services.AddHostedService<IdempotencyRetention>();
        services.AddSingleton<ShardPlacement>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ShardActivator>();
        services.AddHttpClient(HttpTargetInvoker.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = 256,
                // Every connection goes through the address check; a proxy would hide the target's address.
                UseProxy = false,
                ConnectCallback = provider.GetRequiredService<OutboundConnectGuard>().ConnectAsync,
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        return silo;
    }

    /// <summary>
    /// Dev mode storage: in-memory grain state, reminders, due-index, job index and history. Nothing
    /// survives a restart. The stores are process-wide so that several silos in one test process share them.
    /// </summary>
    public static ISiloBuilder AddJobSchedulerMemoryStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.Jobs);
        silo.AddMemoryGrainStorage(StorageNames.Users);
        silo.AddMemoryGrainStorage(WebhookStorageNames.Secrets);
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton<IDueIndex>(MemoryStores.DueIndex);
        silo.Services.AddSingleton<IJobIndex>(MemoryStores.JobIndex);
        silo.Services.AddSingleton<IExecutionStore>(MemoryStores.Executions);
        silo.Services.AddSingleton<IDeadLetterStore>(MemoryStores.DeadLetters);
        silo.Services.AddSingleton<IWebhookDeliveryStore>(MemoryStores.WebhookDeliveries);
        silo.Services.AddSingleton<IIdempotencyStore>(MemoryStores.IdempotencyKeys);
        silo.Services.AddSingleton<IWebhookOutbox>(MemoryStores.WebhookOutbox);
        return silo;
    }

    /// <summary>Registers an in-process handler that jobs call with <c>{"type": "HANDLER", "name": name}</c>.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string name)
        where THandler : class, IJobHandler
    {
        services.AddKeyedSingleton<IJobHandler, THandler>(name);
        services.AddSingleton(new JobHandlerRegistration(name));
        return services;
    }

    /// <summary>Registers a handler instance under a name.</summary>
    public static IServiceCollection AddJobHandler(this IServiceCollection services, string name, IJobHandler handler)
    {
        services.AddKeyedSingleton(name, handler);
        services.AddSingleton(new JobHandlerRegistration(name));
        return services;
    }
}

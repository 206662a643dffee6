using JobScheduler.Client.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace JobScheduler.Client.Hosting;

/// <summary>Registration of the embedded client in a host app's services.</summary>
public static class JobSchedulerClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client, connected while the host starts, and <see cref="IJobScheduler"/> on top of it.
    /// By default the client finds a dev-mode silo on this machine (localhost clustering on
    /// <see cref="JobSchedulerClientOptions.GatewayPort"/>); set
    /// <see cref="JobSchedulerClientOptions.ConfigureClustering"/> for a cluster.
    /// </summary>
    /// <remarks>
    /// Orleans does not authenticate clients: use the embedded client on trusted networks only. The grains
    /// still enforce ownership, validation and quotas for <see cref="JobSchedulerClientOptions.UserId"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every invalid option.</exception>
    public static IServiceCollection AddJobSchedulerClient(this IServiceCollection services, Action<JobSchedulerClientOptions> configure)
    {
        var options = BuildOptions(services, configure);
        services.AddOrleansClient(client =>
        {
            if (options.ConfigureClustering is { } clustering)
            {
                clustering(client);
                client.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
            }
            else
            {
                client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            }

            client.UseConnectionRetryFilter<ConnectionRetryFilter>();
            client.AddActivityPropagation();
        });
        AddFacade(services);
        return services;
    }

    /// <summary>
    /// Adds <see cref="IJobScheduler"/> on top of the host's existing <see cref="IGrainFactory"/>, for a silo
    /// host (such as one built with <c>SiloApp.Build</c>) that schedules its own jobs. The clustering and
    /// connection options are ignored: the silo is already part of the cluster.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message lists every invalid option.</exception>
    public static IServiceCollection AddJobSchedulerFacade(this IServiceCollection services, Action<JobSchedulerClientOptions> configure)
    {
        BuildOptions(services, configure);
        AddFacade(services);
        return services;
    }

    private static JobSchedulerClientOptions BuildOptions(IServiceCollection services, Action<JobSchedulerClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new JobSchedulerClientOptions();
        configure(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("The JobScheduler client options are invalid: " + string.Join(" ", errors), nameof(configure));
        }

        services.AddSingleton(options);
        return options;
    }

    private static void AddFacade(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainCallResilience>();
        services.TryAddSingleton<IJobScheduler>(provider => ActivatorUtilities.CreateInstance<OrleansJobScheduler>(
            provider, provider.GetRequiredService<JobSchedulerClientOptions>().UserId));
    }
}

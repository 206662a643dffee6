using JobScheduler.Grains.Execution;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobScheduler.Grains.Outbound;

/// <summary>Registration of the outbound address policy and the connect guard built on it.</summary>
public static class OutboundServiceCollectionExtensions
{
    /// <summary>Name of the connection string whose presence means durable mode, where loopback is rejected by default.</summary>
    private const string DurableConnectionString = "JobScheduler";

    /// <summary>
    /// Adds <see cref="OutboundAddressPolicy"/> from the <c>Targets</c> section, and <see cref="OutboundConnectGuard"/>.
    /// An earlier registration of the policy (a test's) is kept.
    /// </summary>
    public static IServiceCollection AddOutboundAddressPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OutboundOptions.SectionName).Get<OutboundOptions>() ?? new OutboundOptions();
        var devMode = string.IsNullOrWhiteSpace(configuration.GetConnectionString(DurableConnectionString));
        services.TryAddSingleton(new OutboundAddressPolicy(options.AllowedNetworks, options.AllowLoopback ?? devMode));
        services.TryAddSingleton<OutboundConnectGuard>();
        return services;
    }
}

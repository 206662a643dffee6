using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobScheduler.Grains.Telemetry;

/// <summary>Registration of the scheduler's instruments.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="JobSchedulerMetrics"/> and the <see cref="System.Diagnostics.Metrics.IMeterFactory"/>
    /// it needs. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddJobSchedulerMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<JobSchedulerMetrics>();
        return services;
    }
}

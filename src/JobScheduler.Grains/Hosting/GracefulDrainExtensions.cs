using JobScheduler.Grains.Execution;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobScheduler.Grains.Hosting;

/// <summary>Registration of the graceful drain that runs when the host stops.</summary>
public static class GracefulDrainExtensions
{
    /// <summary>
    /// Adds the graceful drain on host shutdown (<see cref="SiloDrain"/>) and raises the host's shutdown timeout
    /// to the drain grace plus the time the silo needs to stop. Production hosts call this; in-process test
    /// clusters leave it out so that they stop at once.
    /// </summary>
    public static IServiceCollection AddGracefulDrain(this IServiceCollection services, IConfiguration configuration)
    {
        var grace = configuration.GetSection(SchedulerClusterOptions.SectionName).Get<SchedulerClusterOptions>()?.DrainGrace
            ?? new SchedulerClusterOptions().DrainGrace;
        services.AddHostedService<SiloDrain>();
        services.Configure<HostOptions>(host =>
        {
            var needed = grace + SchedulerClusterOptions.ShutdownMargin;
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return services;
    }
}

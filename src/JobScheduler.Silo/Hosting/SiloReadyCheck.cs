using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace JobScheduler.Silo.Hosting;

/// <summary>Ready when this silo is an active member of the cluster.</summary>
public sealed class SiloReadyCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("The silo is an active cluster member.")
            : HealthCheckResult.Unhealthy($"The silo is {status}, not an active cluster member."));
    }
}

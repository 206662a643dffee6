namespace JobScheduler.Silo.Hosting;

/// <summary>Host settings, bound from the <c>Orleans</c> configuration section.</summary>
public sealed class SiloSettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Orleans";

    /// <summary>Port for silo-to-silo traffic. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port embedded clients connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address other silos and clients use to reach this silo in durable mode. Default 127.0.0.1, which only
    /// suits silos on one machine: set the host's own address when silos run on several machines.
    /// </summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>Cluster id; silos and clients of one cluster share it. Default "jobscheduler".</summary>
    public string ClusterId { get; set; } = "jobscheduler";

    /// <summary>Service id; stable across deployments of one service. Default "jobscheduler".</summary>
    public string ServiceId { get; set; } = "jobscheduler";
}

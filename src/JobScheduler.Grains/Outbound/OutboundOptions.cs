namespace JobScheduler.Grains.Outbound;

/// <summary>Which addresses job targets may reach, bound from the <c>Targets</c> configuration section.</summary>
public sealed class OutboundOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Targets";

    /// <summary>
    /// CIDR ranges that targets may reach although they are loopback, private, link-local or otherwise
    /// reserved, such as <c>10.20.0.0/16</c>. Empty by default. In the environment:
    /// <c>Targets__AllowedNetworks__0=127.0.0.0/8</c>.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// Allows loopback targets (127.0.0.0/8, ::1). Unset means: allowed in dev mode (no
    /// <c>ConnectionStrings:JobScheduler</c>), rejected in durable mode.
    /// </summary>
    public bool? AllowLoopback { get; set; }
}

namespace JobScheduler.Silo.Gateway.Limits;

/// <summary>Limits of the HTTP gateway, bound from the <c>Gateway</c> configuration section.</summary>
public sealed class GatewaySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Largest request body, in bytes. Default 524,288 (512 KiB), twice the default payload limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Per-user rate limit.</summary>
    public RateLimitSettings RateLimit { get; set; } = new();
}

/// <summary>A token bucket per user: it refills at <see cref="PermitsPerSecond"/> and stores at most <see cref="Burst"/>.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests per second one user may sustain. Default 100.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests one user may send at once after being idle. Default 200.</summary>
    public int Burst { get; set; } = 200;
}

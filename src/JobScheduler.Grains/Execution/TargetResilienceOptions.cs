namespace JobScheduler.Grains.Execution;

/// <summary>
/// Protection of the services that HTTP targets call, per host and per silo, bound from the
/// <c>Targets:Resilience</c> configuration section. There is no retry inside an attempt: one scheduled
/// attempt is one request, and retries follow the job's retry policy.
/// </summary>
public sealed class TargetResilienceOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Targets:Resilience";

    /// <summary>Requests one silo sends to one host at once; further attempts wait. Default 100.</summary>
    public int MaxConcurrencyPerHost { get; set; } = 100;

    /// <summary>Share of failed requests (5xx, 408, 429, network errors) that opens a host's circuit. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Requests to a host within the sampling window before its circuit may open. Default 20.</summary>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>Window over which the failure ratio is measured. Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit rejects attempts to its host before one trial request. Default 15 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

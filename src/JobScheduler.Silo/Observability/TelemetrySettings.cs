namespace JobScheduler.Silo.Observability;

/// <summary>Traces and metrics export, bound from the <c>Telemetry</c> configuration section.</summary>
public sealed class TelemetrySettings
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>
    /// OTLP endpoint that receives traces, such as <c>http://127.0.0.1:4317</c> (gRPC). Unset by default: traces
    /// are then only propagated (W3C <c>traceparent</c>) and not exported. The standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable turns the export on too.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// Fraction of new traces recorded while traces are exported, from 0 to 1. Default 1 (all). Without an
    /// exporter no new trace is recorded, whatever the ratio. A request that carries a sampled
    /// <c>traceparent</c> is recorded whatever the ratio, so one trace is never cut in half.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1.0;
}

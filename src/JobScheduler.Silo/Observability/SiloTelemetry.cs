using JobScheduler.Grains.Telemetry;
using JobScheduler.Silo.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace JobScheduler.Silo.Observability;

/// <summary>
/// OpenTelemetry for the silo: the <c>JobScheduler</c> meter, Orleans', ASP.NET Core's, HttpClient's and the
/// runtime's metrics on a Prometheus scrape endpoint at <c>/metrics</c>; traces with W3C context from ASP.NET
/// Core, HttpClient, Orleans grain calls and the scheduler's own activities, exported over OTLP when configured.
/// </summary>
public static class SiloTelemetry
{
    /// <summary>Path of the Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Service name in traces when <c>OTEL_SERVICE_NAME</c> does not set one.</summary>
    public const string DefaultServiceName = "jobscheduler-silo";

    /// <summary>Orleans' meter (grain calls, activations, messaging).</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources, active after <c>AddActivityPropagation</c>.</summary>
    private static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Registers the instruments and OpenTelemetry. Throws <see cref="SiloStartupException"/> for an invalid
    /// sample ratio or OTLP endpoint.
    /// </summary>
    public static void AddSiloTelemetry(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TelemetrySettings.SectionName).Get<TelemetrySettings>() ?? new TelemetrySettings();
        if (settings.TraceSampleRatio is < 0 or > 1 || double.IsNaN(settings.TraceSampleRatio))
        {
            throw new SiloStartupException($"Telemetry:TraceSampleRatio is {settings.TraceSampleRatio}; use a fraction from 0 to 1.");
        }

        Uri? otlpEndpoint = null;
        if (!string.IsNullOrWhiteSpace(settings.OtlpEndpoint) && !Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out otlpEndpoint))
        {
            throw new SiloStartupException($"Telemetry:OtlpEndpoint '{settings.OtlpEndpoint}' is not an absolute URL; use one such as http://127.0.0.1:4317.");
        }

        var exportTraces = otlpEndpoint is not null
            || !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        builder.Services.AddJobSchedulerMetrics();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(DefaultServiceName);
                }
            })
            .WithMetrics(metrics => metrics
                .AddMeter(JobSchedulerMetrics.MeterName, OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing
                    .SetSampler(RootSampler(settings, exportTraces))
                    .AddSource(JobSchedulerTracing.SourceName)
                    .AddSource(OrleansActivitySources)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperatorPath(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (exportTraces)
                {
                    tracing.AddOtlpExporter(options =>
                    {
                        if (otlpEndpoint is not null)
                        {
                            options.Endpoint = otlpEndpoint;
                        }
                    });
                }
            });
    }

    /// <summary>
    /// Samples new traces at the configured ratio when they are exported, and none when nothing would
    /// export them. Unsampled activities are still created as propagation-only, so the W3C context (trace id)
    /// reaches jobs, executions and webhooks, and a caller's sampled context is kept either way.
    /// </summary>
    private static Sampler RootSampler(TelemetrySettings settings, bool exportTraces) => new ParentBasedSampler(
        exportTraces ? new TraceIdRatioBasedSampler(settings.TraceSampleRatio) : new AlwaysOffSampler());

    /// <summary>Records <c>jobscheduler.api.requests</c>; add it before authentication so that 401 and 429 responses count.</summary>
    public static void UseApiRequestMetrics(this WebApplication app) => app.UseMiddleware<ApiRequestMetrics>();

    /// <summary>Maps the anonymous Prometheus scrape endpoint at <see cref="MetricsPath"/>.</summary>
    public static void MapMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();

    /// <summary>True for scrapes and health probes, which would otherwise fill the traces every few seconds.</summary>
    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}

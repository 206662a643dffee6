using System.Net;
using System.Net.Sockets;
using JobScheduler.Benchmarks.Measurement;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Hosting;
using JobScheduler.Silo.Gateway.Limits;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace JobScheduler.Benchmarks.Hosting;

/// <summary>
/// The real silo and gateway (<see cref="SiloApp.Build"/>) in this process, on free loopback ports, with
/// the recording handler registered. Logs go to standard error at Warning and above, so standard output
/// carries only the result.
/// </summary>
public sealed class BenchmarkSilo : IAsyncDisposable
{
    /// <summary>The signing key of the run's tokens, random per process.</summary>
    public static readonly string SigningKey = "bench-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private readonly WebApplication _app;
    private bool _stopped;
    private bool _disposed;

    private BenchmarkSilo(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The gateway's base address, such as http://127.0.0.1:41234.</summary>
    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Builds and starts a silo, and returns once it is an active member with its shards activated.</summary>
    public static async Task<BenchmarkSilo> StartAsync(BenchmarkOptions options, string? connectionString, RecordingHandler handler)
    {
        var args = new List<string>
        {
            "--urls", $"http://127.0.0.1:{FreePort()}",
            $"--Orleans:SiloPort={FreePort()}",
            $"--Orleans:GatewayPort={FreePort()}",
            $"--Auth:SigningKey={SigningKey}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
            // The silo's own shutdown logs several expected warnings at Orleans' Warning level.
            "--Logging:LogLevel:Orleans=Error",
        };
        if (connectionString is not null)
        {
            args.Add($"--ConnectionStrings:JobScheduler={connectionString}");
        }

        foreach (var (key, value) in options.Overrides)
        {
            args.Add($"--{key}={value}");
        }

        var app = SiloApp.Build(args.ToArray(), builder =>
        {
            builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddJobHandler(RecordingHandler.Name, handler);
        });
        await app.StartAsync();
        var url = SiloApp.ListeningUrls(app).First();
        return new BenchmarkSilo(app, url.TrimEnd('/'));
    }

    /// <summary>The option values in force, for the result's <c>settings</c>.</summary>
    public SortedDictionary<string, object> EffectiveSettings()
    {
        var scheduler = Services.GetRequiredService<IOptions<SchedulerOptions>>().Value;
        var execution = Services.GetRequiredService<IOptions<ExecutionOptions>>().Value;
        var gateway = Services.GetRequiredService<GatewaySettings>();
        return new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["Scheduler:ShardCount"] = scheduler.ShardCount,
            ["Scheduler:MaxInFlightPerShard"] = scheduler.MaxInFlightPerShard,
            ["Scheduler:MaxActiveJobsPerUser"] = scheduler.MaxActiveJobsPerUser,
            ["Scheduler:WheelHorizonSeconds"] = scheduler.WheelHorizon.TotalSeconds,
            ["Execution:MaxConcurrency"] = execution.MaxConcurrency,
            ["Execution:QueueCapacity"] = execution.QueueCapacity,
            ["Gateway:RateLimit:PermitsPerSecond"] = gateway.RateLimit.PermitsPerSecond,
            ["Gateway:RateLimit:Burst"] = gateway.RateLimit.Burst,
        };
    }

    /// <summary>Stops the silo gracefully (it leaves the cluster and deactivates its grains).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

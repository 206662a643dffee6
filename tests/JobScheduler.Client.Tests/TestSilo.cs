using System.Net;
using System.Net.Sockets;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Client.Tests;

/// <summary>
/// A real dev-mode silo (<see cref="SiloApp"/>) on free loopback ports, with in-memory stores of its own so that
/// it shares no shards or history with other silos in the test process, and the test handlers registered.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestSilo(WebApplication app, int gatewayPort, string clusterId)
    {
        _app = app;
        GatewayPort = gatewayPort;
        ClusterId = clusterId;
        BaseUrl = SiloApp.ListeningUrls(app).First().TrimEnd('/');
    }

    /// <summary>Port of the silo's Orleans gateway, for the embedded client.</summary>
    public int GatewayPort { get; }

    /// <summary>The silo's Orleans cluster id, unique per test silo.</summary>
    public string ClusterId { get; }

    /// <summary>The HTTP gateway's address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The silo's services, to resolve its instruments.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a silo with the common test settings plus <paramref name="settings"/> (command-line form).</summary>
    public static async Task<TestSilo> StartAsync(params string[] settings)
    {
        var gatewayPort = FreePort();
        var clusterId = "client-tests-" + Guid.NewGuid().ToString("N")[..8];
        string[] common =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Orleans:SiloPort={FreePort()}",
            $"--Orleans:GatewayPort={gatewayPort}",
            $"--Orleans:ClusterId={clusterId}",
            "--Logging:LogLevel:Default=Warning",
        ];
        var app = SiloApp.Build([.. common, .. settings], builder =>
        {
            builder.Services.AddSingleton<IDueIndex>(new MemoryDueIndex());
            builder.Services.AddSingleton<IJobIndex>(new MemoryJobIndex());
            builder.Services.AddSingleton<IExecutionStore>(new MemoryExecutionStore());
            builder.Services.AddSingleton<IDeadLetterStore>(new MemoryDeadLetterStore());
            builder.Services.AddJobHandler(RecordingHandler.Name, RecordingHandler.Instance);
            builder.Services.AddJobHandler(FailingHandler.Name, new FailingHandler());
            builder.Services.AddJobHandler(GateHandler.Name, GateHandler.Instance);
        });
        await app.StartAsync();
        return new TestSilo(app, gatewayPort, clusterId);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

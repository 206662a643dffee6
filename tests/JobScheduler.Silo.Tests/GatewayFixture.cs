using System.Net;
using System.Net.Sockets;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Builder;

namespace JobScheduler.Silo.Tests;

/// <summary>A real silo in dev mode with its gateway on a loopback port, plus a real HTTP job target.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private WebApplication _silo = null!;

    public HttpClient Http { get; private set; } = null!;

    public TargetReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await TargetReceiver.StartAsync();
        _silo = SiloApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Orleans:SiloPort={FreePort()}",
            $"--Orleans:GatewayPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _silo.StartAsync();
        var url = SiloApp.ListeningUrls(_silo).First();
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await _silo.StopAsync();
        await _silo.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

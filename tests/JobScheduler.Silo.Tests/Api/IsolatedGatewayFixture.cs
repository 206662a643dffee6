using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// A real dev-mode silo with a signing key, its gateway on a loopback port, and its own in-memory stores,
/// so it does not share shards or history with the other silos of the test process.
/// </summary>
public abstract class IsolatedGatewayFixture : IAsyncLifetime
{
    /// <summary>The signing key both the silo and the tests' tokens use.</summary>
    public const string SigningKey = "silo-tests-signing-key-0123456789-abcdefghij";

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private WebApplication _silo = null!;

    /// <summary>A client without a token.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public TargetReceiver Receiver { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The silo's grains, to set up what an earlier request left behind.</summary>
    public IGrainFactory Grains => _silo.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The job index of this silo, to check what a rejected request did not write.</summary>
    public MemoryJobIndex JobIndex { get; } = new();

    public static AuthSettings Auth { get; } = new() { SigningKey = SigningKey };

    /// <summary>Configuration arguments added to the common ones.</summary>
    protected abstract IEnumerable<string> Settings { get; }

    public async Task InitializeAsync()
    {
        Receiver = await TargetReceiver.StartAsync();
        string[] common =
        [
            "--urls", "http://127.0.0.1:0",
            $"--Orleans:SiloPort={FreePort()}",
            $"--Orleans:GatewayPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning",
            $"--Auth:SigningKey={SigningKey}",
        ];
        _silo = SiloApp.Build([.. common, .. Settings], builder =>
        {
            builder.Services.AddSingleton<IDueIndex>(new MemoryDueIndex());
            builder.Services.AddSingleton<IJobIndex>(JobIndex);
            builder.Services.AddSingleton<IExecutionStore>(new MemoryExecutionStore());
        });
        await _silo.StartAsync();
        BaseUrl = SiloApp.ListeningUrls(_silo).First().TrimEnd('/');
        Anonymous = NewClient();
    }

    /// <summary>A client whose requests carry a valid token for <paramref name="user"/>.</summary>
    public HttpClient For(string user) => _clients.GetOrAdd(user, name =>
    {
        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(name));
        return client;
    });

    /// <summary>A token for <paramref name="user"/> valid for an hour.</summary>
    public static string Token(string user) => TokenIssuer.Create(Auth, user, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    public HttpClient NewClient() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        Anonymous.Dispose();
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

/// <summary>Dev mode on loopback with tokens: anonymous requests act as 'dev', tokens as their user. Limits are out of the way.</summary>
public sealed class TenantGatewayFixture : IsolatedGatewayFixture
{
    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:RateLimit:PermitsPerSecond=100000",
        "--Gateway:RateLimit:Burst=100000",
    ];
}

/// <summary>
/// Tokens required, a quota of 3 active jobs, a rate limit of 1 request/s with bursts of 20, and loopback
/// targets rejected except 127.0.0.2.
/// </summary>
public sealed class StrictGatewayFixture : IsolatedGatewayFixture
{
    public const int Quota = 3;
    public const int Burst = 20;

    protected override IEnumerable<string> Settings =>
    [
        "--Auth:RequireToken=true",
        $"--Scheduler:MaxActiveJobsPerUser={Quota}",
        "--Gateway:RateLimit:PermitsPerSecond=1",
        $"--Gateway:RateLimit:Burst={Burst}",
        "--Targets:AllowLoopback=false",
        "--Targets:AllowedNetworks:0=127.0.0.2/32",
    ];
}

[CollectionDefinition(Name)]
public sealed class TenantGatewayCollection : ICollectionFixture<TenantGatewayFixture>
{
    public const string Name = "tenant gateway";
}

[CollectionDefinition(Name)]
public sealed class StrictGatewayCollection : ICollectionFixture<StrictGatewayFixture>
{
    public const string Name = "strict gateway";
}

using System.Net;
using JobScheduler.Client.Hosting;
using JobScheduler.Silo.Observability.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Client.Tests;

/// <summary>
/// One dev-mode silo with an operator login on its dashboard, and a host app that embeds the client through
/// <c>AddJobSchedulerClient</c>. Every test that needs a silo shares it and runs in one collection, because the
/// OpenTelemetry exporter of a silo reads every <c>JobScheduler</c> meter in the process: a second silo's
/// measurements would change the values the metrics tests scrape.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    /// <summary>The user the embedded client acts for.</summary>
    public const string User = "client-tests";

    public const string OperatorName = "ops";
    public const string OperatorPassword = "correct horse battery staple";

    private IHost _host = null!;

    public TestSilo Silo { get; private set; } = null!;

    public IJobScheduler Scheduler { get; private set; } = null!;

    /// <summary>The host app's services, such as its <see cref="IClusterClient"/>.</summary>
    public IServiceProvider ClientServices => _host.Services;

    public async Task InitializeAsync()
    {
        Silo = await TestSilo.StartAsync(
            $"--Dashboard:Username={OperatorName}",
            $"--Dashboard:PasswordHash={DashboardAccess.HashPassword(OperatorPassword)}",
            "--Dashboard:LoginAttemptsPerMinute=1000");

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddJobSchedulerClient(options =>
        {
            options.UserId = User;
            options.GatewayPort = Silo.GatewayPort;
            options.ClusterId = Silo.ClusterId;
            options.ConnectTimeout = TimeSpan.FromSeconds(30);
            options.PollInterval = TimeSpan.FromMilliseconds(20);
            options.MaxPollInterval = TimeSpan.FromMilliseconds(200);
        });
        _host = builder.Build();
        await _host.StartAsync();
        Scheduler = _host.Services.GetRequiredService<IJobScheduler>();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Silo.DisposeAsync();
    }

    /// <summary>An HTTP client for the silo's gateway that bypasses any proxy.</summary>
    public HttpClient NewHttpClient() => new(new HttpClientHandler { UseProxy = false })
    {
        BaseAddress = new Uri(Silo.BaseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A client that keeps cookies and does not follow redirects, like a browser whose steps the test makes.</summary>
    public HttpClient NewBrowser(CookieContainer cookies) => new(new HttpClientHandler
    {
        CookieContainer = cookies,
        AllowAutoRedirect = false,
        UseProxy = false,
    })
    {
        BaseAddress = new Uri(Silo.BaseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}

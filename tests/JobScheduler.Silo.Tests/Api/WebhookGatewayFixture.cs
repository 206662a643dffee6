namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// A dev-mode silo on the real clock for webhook API tests: short retry delays (20 ms doubling to at most
/// 200 ms), at most 2 open requests per receiver, and a webhook receiver of its own.
/// </summary>
public sealed class WebhookGatewayFixture : IsolatedGatewayFixture, IAsyncLifetime
{
    public const int MaxConcurrencyPerHost = 2;

    public WebhookReceiver Webhooks { get; private set; } = null!;

    protected override IEnumerable<string> Settings =>
    [
        "--Gateway:RateLimit:PermitsPerSecond=100000",
        "--Gateway:RateLimit:Burst=100000",
        "--Webhooks:BaseDelay=00:00:00.020",
        "--Webhooks:MaxDelay=00:00:00.200",
        $"--Webhooks:MaxConcurrencyPerHost={MaxConcurrencyPerHost}",
    ];

    public new async Task InitializeAsync()
    {
        Webhooks = await WebhookReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Webhooks.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookGatewayCollection : ICollectionFixture<WebhookGatewayFixture>
{
    public const string Name = "webhook gateway";
}

using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Webhooks;

/// <summary>
/// A one-silo cluster of its own for webhook delivery tests, with its own fake clock starting at
/// 2024-01-01T09:30:00Z and its own in-memory stores, so it shares no shards, history or time with
/// <see cref="ClusterFixture"/>. Polly's retry delays run on the fake clock too, so tests advance it
/// to release each retry. Also starts a loopback webhook receiver.
/// </summary>
public sealed class WebhookClusterFixture : IAsyncLifetime
{
    /// <summary>The scheduler's clock in this cluster.</summary>
    public static FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 1, 1, 9, 30, 0, TimeSpan.Zero));

    /// <summary>The delivery log of this cluster.</summary>
    public static MemoryWebhookDeliveryStore Deliveries { get; } = new();

    /// <summary>The key that encrypts webhook secrets in this cluster: 32 bytes in base64.</summary>
    public const string SecretEncryptionKey = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

    /// <summary>The webhook outbox of this cluster.</summary>
    public static MemoryWebhookOutbox Outbox { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>
    /// Advances the clock one second at a time until <paramref name="condition"/> holds, giving the silo
    /// up to 200 ms of real time after each step; fails after <paramref name="maxSeconds"/> steps.
    /// </summary>
    public static async Task AdvanceUntilAsync(Func<bool> condition, string description, int maxSeconds = 120)
    {
        for (var step = 0; step <= maxSeconds; step++)
        {
            for (var poll = 0; poll < 20; poll++)
            {
                if (condition())
                {
                    return;
                }

                await Task.Delay(10);
            }

            Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Fail($"Timed out after advancing the clock {maxSeconds} s, waiting for: {description}");
    }

    /// <summary>Advances the clock one second at a time, with 20 ms of real time after each step for the silo to act.</summary>
    public static async Task AdvanceStepwiseAsync(int seconds)
    {
        for (var step = 0; step < seconds; step++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(SchedulerTime.Key, Time);
            siloBuilder.Services.AddJobHandler(RecordingHandler.Name, RecordingHandler.Instance);
            siloBuilder.Services.AddJobHandler(FailingHandler.Name, new FailingHandler());
            siloBuilder.AddJobSchedulerMemoryStorage();
            siloBuilder.Services.AddSingleton<IDueIndex>(new MemoryDueIndex());
            siloBuilder.Services.AddSingleton<IJobIndex>(new MemoryJobIndex());
            siloBuilder.Services.AddSingleton<IExecutionStore>(new MemoryExecutionStore());
            siloBuilder.Services.AddSingleton<IDeadLetterStore>(new MemoryDeadLetterStore());
            siloBuilder.Services.AddSingleton<IWebhookDeliveryStore>(Deliveries);
            siloBuilder.Services.AddSingleton<IWebhookOutbox>(Outbox);
            // Secrets are encrypted at rest here, so every delivery test also reads them through the protector.
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:SecretEncryptionKey"] = SecretEncryptionKey })
                .Build();
            siloBuilder.AddJobScheduler(configuration);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookClusterCollection : ICollectionFixture<WebhookClusterFixture>
{
    public const string Name = "webhook cluster";
}

using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// A one-silo in-process Orleans cluster running the scheduler on a fake clock. Tests advance
/// <see cref="Time"/> to make instants due; Orleans' own timers keep real time.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The scheduler's clock, shared with the silo. Starts at 2026-03-02T10:00:00.250Z.</summary>
    public static FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, 250, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>Fails the first two attempts of each job.</summary>
    public static FlakyHandler Flaky { get; } = new(Time);

    /// <summary>Runs until released or cancelled.</summary>
    public static BlockingHandler Blocking { get; } = new();

    /// <summary>Ignores cancellation until released.</summary>
    public static StubbornHandler Stubborn { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(SchedulerTime.Key, Time);
            siloBuilder.Services.AddJobHandler(RecordingHandler.Name, RecordingHandler.Instance);
            siloBuilder.Services.AddJobHandler(FailingHandler.Name, new FailingHandler());
            siloBuilder.Services.AddJobHandler(FlakyHandler.Name, Flaky);
            siloBuilder.Services.AddJobHandler(BlockingHandler.Name, Blocking);
            siloBuilder.Services.AddJobHandler(StubbornHandler.Name, Stubborn);
            siloBuilder.AddJobSchedulerMemoryStorage();
            siloBuilder.AddJobScheduler(new ConfigurationBuilder().Build());
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

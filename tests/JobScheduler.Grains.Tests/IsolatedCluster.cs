using JobScheduler.Abstractions.Handlers;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// A cluster of a test class's own (one silo unless <see cref="SiloCount"/> is overridden), for tests that need their own clock, settings or a store they
/// control. <typeparamref name="TConfigurator"/> calls <see cref="IsolatedSilo.Configure"/>. The cluster starts
/// before each test, after <see cref="BeforeStartAsync"/>.
/// </summary>
public abstract class IsolatedCluster<TConfigurator> : IAsyncLifetime
    where TConfigurator : ISiloConfigurator, new()
{
    protected TestCluster Cluster { get; private set; } = null!;

    protected IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        await BeforeStartAsync();
        var builder = new TestClusterBuilder(SiloCount);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>How many silos the cluster starts with.</summary>
    protected virtual short SiloCount => 1;

    /// <summary>Runs before the silo starts, which activates every shard.</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;
}

/// <summary>The silo set-up of an <see cref="IsolatedCluster{TConfigurator}"/>.</summary>
public static class IsolatedSilo
{
    /// <summary>
    /// Runs the scheduler on <paramref name="time"/> with stores of its own (the process-wide memory stores belong
    /// to the shared cluster, whose shard epochs these would fence), the given handlers and settings.
    /// </summary>
    public static void Configure(
        ISiloBuilder silo,
        TimeProvider time,
        IReadOnlyDictionary<string, IJobHandler> handlers,
        IDueIndex? dueIndex = null,
        IExecutionStore? history = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        silo.Services.AddKeyedSingleton(SchedulerTime.Key, time);
        foreach (var (name, handler) in handlers)
        {
            silo.Services.AddJobHandler(name, handler);
        }

        silo.AddJobSchedulerMemoryStorage();
        silo.Services.AddSingleton(dueIndex ?? new MemoryDueIndex());
        silo.Services.AddSingleton<IJobIndex>(new MemoryJobIndex());
        silo.Services.AddSingleton(history ?? new MemoryExecutionStore());
        silo.Services.AddSingleton<IDeadLetterStore>(new MemoryDeadLetterStore());
        silo.AddJobScheduler(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
    }
}

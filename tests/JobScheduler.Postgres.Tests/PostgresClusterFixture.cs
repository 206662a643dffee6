using JobScheduler.Postgres.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace JobScheduler.Postgres.Tests;

/// <summary>
/// Two in-process silos and a client on a fresh migrated database, configured with
/// <see cref="PostgresOrleansExtensions.UseJobSchedulerPostgresOrleans"/> and ADO.NET clustering
/// (the test cluster's in-memory membership is off), so every Orleans provider goes through PostgreSQL.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    private const string ConnectionStringKey = "JobSchedulerTests:Postgres";

    private TestDatabase? _database;
    private TestCluster? _cluster;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The cluster fixture is not initialized.");

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster fixture is not initialized.");

    /// <summary>Services of the first silo, for calling its providers directly.</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Silos[0]).SiloHost.Services;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateMigratedAsync();

        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = _database.ConnectionString;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"Test cluster property {ConnectionStringKey} is missing.");
            siloBuilder.UseJobSchedulerPostgresOrleans(connectionString);
            siloBuilder.AddJobSchedulerPostgresGrainStorage(TestStorageNames.DeleteOnClear, connectionString, options => options.DeleteStateOnClear = true);

            // Short periods so that a test reminder fires within seconds and the reminder service reads its
            // hash range from the table again every few seconds (ReadRangeRows1Key/2Key).
            siloBuilder.Services.Configure<ReminderOptions>(options =>
            {
                options.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                options.RefreshReminderListPeriod = TimeSpan.FromSeconds(2);
            });

            // A silo that cannot join (for example because a membership query is broken) fails the fixture
            // after this time instead of the default five minutes.
            siloBuilder.Configure<ClusterMembershipOptions>(options => options.MaxJoinAttemptTime = TimeSpan.FromSeconds(45));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            var connectionString = configuration[ConnectionStringKey]
                ?? throw new InvalidOperationException($"Test cluster property {ConnectionStringKey} is missing.");
            clientBuilder.UseJobSchedulerPostgresClustering(connectionString);
        }
    }
}

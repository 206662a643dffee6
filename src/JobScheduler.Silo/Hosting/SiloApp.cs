using JobScheduler.Grains.Hosting;
using JobScheduler.Postgres.Schema;
using JobScheduler.Scheduling;
using JobScheduler.Silo.Gateway;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Orleans.Configuration;
using JobScheduler.Silo.Observability;
using Orleans.Dashboard;
using JobScheduler.Silo.Observability.Dashboard;

namespace JobScheduler.Silo.Hosting;

/// <summary>Builds the silo host: the Orleans silo, the HTTP gateway, the dashboard and health endpoints.</summary>
public static partial class SiloApp
{
    /// <summary>The gateway's address when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> sets one.</summary>
    public const string DefaultUrl = "http://localhost:8080";

    /// <summary>Configuration section bound to Orleans' <see cref="ClusterMembershipOptions"/> (probe timeouts, votes).</summary>
    public const string MembershipSectionName = SiloSettings.SectionName + ":Membership";

    /// <summary>
    /// Creates the application. <paramref name="configureServices"/> lets a host (or a test) add handlers
    /// and replace services before the build.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configureServices = null)
    {
        // The content root is the build output, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Orleans 10.4 logs two Information lines from Polly for every grain placement.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        var settings = builder.Configuration.GetSection(SiloSettings.SectionName).Get<SiloSettings>() ?? new SiloSettings();
        builder.UseOrleans(silo =>
        {
            StorageMode.Configure(silo, builder.Configuration, settings);
            silo.Configure<ClusterMembershipOptions>(MembershipDefaults.Apply);
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(MembershipSectionName));
            silo.AddJobScheduler(builder.Configuration);
            silo.AddOutgoingGrainCallFilter<DeadSiloRetryFilter>();
            silo.AddDashboard();
            silo.AddActivityPropagation();
        });

        builder.Services.AddGracefulDrain(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ApiProblems.DescribeStatusOnly);
        builder.AddGateway();
        builder.AddDashboardLogin();
        builder.AddSiloTelemetry();
        builder.Services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);
        configureServices?.Invoke(builder);

        // After the settings checks above (authentication among them), so a silo that refuses to start has not
        // changed the database first.
        if (StorageMode.ConnectionString(builder.Configuration) is { } connectionString)
        {
            using var loggers = StorageMode.StartupLoggers(builder.Configuration);
            StorageMode.Migrate(connectionString, loggers);
            StorageMode.CheckShardCount(connectionString, builder.Configuration);
        }

        var app = builder.Build();
        app.UseApiRequestMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseGateway();
        app.MapGateway();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapDashboard();
        app.MapMetrics();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app, settings));
        return app;
    }

    private static void LogStarted(WebApplication app, SiloSettings settings)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JobScheduler.Silo");
        foreach (var url in ListeningUrls(app))
        {
            LogGateway(logger, url, $"{url.TrimEnd('/')}/dashboard");
        }

        LogTimeZones(logger, TimeZoneSource.TzdbVersion);
        if (StorageMode.ConnectionString(app.Configuration) is { } connectionString)
        {
            LogOrleansPorts(logger, settings.SiloPort, settings.GatewayPort, "PostgreSQL membership");
            LogDurableMode(logger, SchemaMigrator.DescribeServer(connectionString));
            return;
        }

        LogOrleansPorts(logger, settings.SiloPort, settings.GatewayPort, "localhost clustering");
        LogDevMode(logger);
    }

    /// <summary>Returns the addresses Kestrel bound, with real port numbers where port 0 was requested.</summary>
    public static IReadOnlyCollection<string> ListeningUrls(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList()
        ?? app.Urls.ToList();

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "REST gateway listening on {Url}; Orleans dashboard at {DashboardUrl}")]
    private static partial void LogGateway(ILogger logger, string url, string dashboardUrl);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Silo port {SiloPort}, client gateway port {GatewayPort} ({Clustering})")]
    private static partial void LogOrleansPorts(ILogger logger, int siloPort, int gatewayPort, string clustering);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Durable mode: jobs, schedules and history are stored in PostgreSQL at {Server}")]
    private static partial void LogDurableMode(ILogger logger, string server);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Time zone rules: NodaTime tzdb {TzdbVersion}, the same on every silo")]
    private static partial void LogTimeZones(ILogger logger, string tzdbVersion);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Dev mode: jobs, schedules and history are kept in memory only and are lost when the silo stops")]
    private static partial void LogDevMode(ILogger logger);
}

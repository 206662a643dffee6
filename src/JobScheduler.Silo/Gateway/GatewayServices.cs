using JobScheduler.Silo.Gateway.Limits;
using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace JobScheduler.Silo.Gateway;

/// <summary>Wires the gateway into the host: authentication, limits, OpenAPI and the API endpoints.</summary>
public static partial class GatewayServices
{
    /// <summary>Smallest accepted request-body limit.</summary>
    private const long MinRequestBodyBytes = 1024;

    /// <summary>
    /// Registers the gateway's services. Throws <see cref="SiloStartupException"/> when the configuration
    /// would leave the API open or cannot work (see <see cref="GatewayAccess.Decide"/>).
    /// </summary>
    public static void AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddGatewayAuthentication();
        var settings = builder.Configuration.GetSection(GatewaySettings.SectionName).Get<GatewaySettings>() ?? new GatewaySettings();
        if (settings.MaxRequestBodyBytes < MinRequestBodyBytes)
        {
            throw new SiloStartupException($"Gateway:MaxRequestBodyBytes is {settings.MaxRequestBodyBytes}; it must be at least {MinRequestBodyBytes}.");
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddUserRateLimiting(settings.RateLimit);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes);
        builder.Services.AddGatewayOpenApi();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<IncompleteRequestExceptionHandler>();
    }

    /// <summary>Adds authentication, rate limiting and authorization to the pipeline, in that order.</summary>
    public static void UseGateway(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.Lifetime.ApplicationStarted.Register(() => CheckListenAddresses(app));
    }

    /// <summary>Maps the API, the OpenAPI document and the reference page.</summary>
    public static void MapGateway(this WebApplication app)
    {
        app.MapGatewayApi();
        app.MapGatewayOpenApi();
    }

    /// <summary>
    /// Logs the access mode, and stops the host when anonymous dev access is on but Kestrel bound a
    /// non-loopback address that the configuration check could not see.
    /// </summary>
    private static void CheckListenAddresses(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JobScheduler.Gateway");
        var access = app.Services.GetRequiredService<GatewayAccess>();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = bound.Where(url => !ListenAddresses.IsLoopback(url)).ToList();
        if (access.AllowsAnonymousDevUser && exposed.Count > 0)
        {
            LogExposedWithoutAuthentication(logger, string.Join(", ", exposed));
            app.Lifetime.StopApplication();
            return;
        }

        if (access.AllowsAnonymousDevUser)
        {
            LogAnonymousAccess(logger, access.Description);
        }
        else
        {
            LogTokenAccess(logger, access.Description);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "API access: {Description}")]
    private static partial void LogAnonymousAccess(ILogger logger, string description);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "API access: {Description}")]
    private static partial void LogTokenAccess(ILogger logger, string description);

    [LoggerMessage(EventId = 112, Level = LogLevel.Critical,
        Message = "The gateway listens on {Addresses}, which other machines can reach, while requests without a token act as user 'dev'; stopping. Listen on loopback only or set Auth:SigningKey.")]
    private static partial void LogExposedWithoutAuthentication(ILogger logger, string addresses);
}

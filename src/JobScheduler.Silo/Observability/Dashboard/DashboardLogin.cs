using System.Security.Claims;
using System.Threading.RateLimiting;
using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Orleans.Dashboard;

namespace JobScheduler.Silo.Observability.Dashboard;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> behind a browser login: a form at <c>/dashboard/login</c> checks
/// the operator credentials from the <c>Dashboard</c> section and starts a cookie session. Bearer tokens do not
/// work here because a browser does not send them when it loads a page.
/// </summary>
public static partial class DashboardLogin
{
    /// <summary>Authentication scheme of the dashboard's cookie session.</summary>
    public const string Scheme = "Dashboard";

    /// <summary>Authorization policy every dashboard endpoint needs outside open mode.</summary>
    public const string PolicyName = "DashboardOperator";

    /// <summary>Path of the dashboard.</summary>
    public const string RoutePrefix = "/dashboard";

    /// <summary>Path of the login form.</summary>
    public const string LoginPath = RoutePrefix + "/login";

    /// <summary>Path that ends the session.</summary>
    public const string LogoutPath = RoutePrefix + "/logout";

    /// <summary>Name of the session cookie.</summary>
    public const string CookieName = "JobScheduler.Dashboard";

    private const string OperatorRole = "operator";
    private const string ReturnUrlField = "returnUrl";

    /// <summary>
    /// Decides the dashboard's access mode and registers the cookie scheme and the operator policy. Throws
    /// <see cref="SiloStartupException"/> for unusable credentials (see <see cref="DashboardAccess.Decide"/>).
    /// </summary>
    public static void AddDashboardLogin(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(DashboardSettings.SectionName).Get<DashboardSettings>() ?? new DashboardSettings();
        var durable = StorageMode.ConnectionString(builder.Configuration) is not null;
        var access = DashboardAccess.Decide(settings, durable, ListenAddresses.Configured(builder.Configuration));
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton(new LoginThrottle(settings.LoginAttemptsPerMinute));

        builder.Services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = RoutePrefix;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = settings.SessionLifetime;
            options.SlidingExpiration = true;
            options.LoginPath = LoginPath;
            options.LogoutPath = LogoutPath;
            options.ReturnUrlParameter = ReturnUrlField;
            options.Events.OnRedirectToLogin = RedirectBrowsersOnly;
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(PolicyName, policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireRole(OperatorRole));
    }

    /// <summary>Maps the dashboard and, unless it is open, the login and logout endpoints; logs the mode.</summary>
    public static void MapDashboard(this WebApplication app)
    {
        var access = app.Services.GetRequiredService<DashboardAccess>();
        var dashboard = app.MapOrleansDashboard(routePrefix: RoutePrefix);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JobScheduler.Dashboard");
        switch (access.Mode)
        {
            case DashboardMode.Open:
                LogOpen(logger);
                return;
            case DashboardMode.Locked:
                LogLocked(logger);
                break;
            default:
                LogLoginRequired(logger);
                break;
        }

        dashboard.RequireAuthorization(PolicyName);
        app.MapGet(LoginPath, ShowLoginForm).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(LoginPath, LogInAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        var logOut = (Func<HttpContext, Task<IResult>>)LogOutAsync;
        app.MapPost(LogoutPath, logOut).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet(LogoutPath, logOut).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>Sends browsers (which accept HTML) to the login form, and returns 401 to scripts and the dashboard's own data requests.</summary>
    private static Task RedirectBrowsersOnly(RedirectContext<CookieAuthenticationOptions> context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }

        return Task.CompletedTask;
    }

    private static IResult ShowLoginForm(HttpContext context, DashboardAccess access)
    {
        var returnUrl = SafeReturnUrl(context.Request.Query[ReturnUrlField]);
        return DashboardLoginPage.Render(StatusCodes.Status200OK, returnUrl, NoticeFor(access), error: null);
    }

    private static async Task<IResult> LogInAsync(HttpContext context, DashboardAccess access, LoginThrottle throttle, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("JobScheduler.Dashboard");
        if (!context.Request.HasFormContentType)
        {
            return DashboardLoginPage.Render(StatusCodes.Status400BadRequest, SafeReturnUrl(null), NoticeFor(access),
                "The login request is not a form post; use the form on this page.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = SafeReturnUrl(form[ReturnUrlField]);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = throttle.Acquire(address);
        if (!lease.IsAcquired)
        {
            LogThrottled(logger, address);
            return DashboardLoginPage.Render(StatusCodes.Status429TooManyRequests, returnUrl, NoticeFor(access),
                "Too many login attempts from this address; wait a minute and try again.");
        }

        var username = form["username"].ToString();
        if (!access.Verify(username, form["password"].ToString()))
        {
            LogLoginFailed(logger, address);
            return DashboardLoginPage.Render(StatusCodes.Status401Unauthorized, returnUrl, NoticeFor(access), "Invalid user name or password.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, username), new Claim(ClaimTypes.Role, OperatorRole)], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        LogLoggedIn(logger, username, address);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> LogOutAsync(HttpContext context)
    {
        await context.SignOutAsync(Scheme);
        return Results.Redirect(LoginPath);
    }

    /// <summary>Returns the page to go to after the login: a path under the dashboard, else the dashboard itself.</summary>
    internal static string SafeReturnUrl(string? returnUrl)
    {
        var isDashboardPath = returnUrl is not null
            && (returnUrl == RoutePrefix || returnUrl.StartsWith(RoutePrefix + "/", StringComparison.Ordinal))
            && !returnUrl.Contains('\\')
            && !returnUrl.StartsWith(LoginPath, StringComparison.Ordinal);
        return isDashboardPath ? returnUrl! : RoutePrefix + "/";
    }

    private static string? NoticeFor(DashboardAccess access) => access.Mode == DashboardMode.Locked
        ? "No operator is configured, so nobody can log in. Set Dashboard:Username and Dashboard:PasswordHash (from the silo's hash-password command) and restart the silo."
        : null;

    /// <summary>Counts login attempts per client address in one-minute windows.</summary>
    internal sealed class LoginThrottle(int attemptsPerMinute) : IDisposable
    {
        private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
            address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = attemptsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

        public RateLimitLease Acquire(string address) => _limiter.AttemptAcquire(address);

        public void Dispose() => _limiter.Dispose();
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning,
        Message = "Dashboard: open without a login (dev mode on loopback, no Dashboard:Username)")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "Dashboard: operator login required")]
    private static partial void LogLoginRequired(ILogger logger);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning,
        Message = "Dashboard: locked, because no operator is configured outside dev mode on loopback; set Dashboard:Username and Dashboard:PasswordHash")]
    private static partial void LogLocked(ILogger logger);

    [LoggerMessage(EventId = 143, Level = LogLevel.Information, Message = "Dashboard: operator {Username} logged in from {Address}")]
    private static partial void LogLoggedIn(ILogger logger, string username, string address);

    [LoggerMessage(EventId = 144, Level = LogLevel.Warning, Message = "Dashboard: failed login from {Address}")]
    private static partial void LogLoginFailed(ILogger logger, string address);

    [LoggerMessage(EventId = 145, Level = LogLevel.Warning, Message = "Dashboard: login attempts from {Address} exceed the limit per minute; rejected")]
    private static partial void LogThrottled(ILogger logger, string address);
}

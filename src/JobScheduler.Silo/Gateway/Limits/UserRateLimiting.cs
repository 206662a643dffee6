using System.Globalization;
using System.Threading.RateLimiting;
using JobScheduler.Silo.Hosting;
using Microsoft.AspNetCore.RateLimiting;

namespace JobScheduler.Silo.Gateway.Limits;

/// <summary>
/// The per-user rate limit of the API: one token bucket per user id (the token's <c>sub</c>), or per client
/// address for requests without a validated token. A rejected request gets 429 with <c>Retry-After</c>.
/// </summary>
public static class UserRateLimiting
{
    /// <summary>Name of the rate limiting policy the API group uses.</summary>
    public const string PolicyName = "PerUser";

    /// <summary>Registers the policy; throws <see cref="SiloStartupException"/> for non-positive settings.</summary>
    public static IServiceCollection AddUserRateLimiting(this IServiceCollection services, RateLimitSettings settings)
    {
        if (settings.PermitsPerSecond < 1 || settings.Burst < 1)
        {
            throw new SiloStartupException(
                $"Gateway:RateLimit:PermitsPerSecond ({settings.PermitsPerSecond}) and Gateway:RateLimit:Burst ({settings.Burst}) must both be at least 1.");
        }

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteRejectionAsync;
            options.AddPolicy(PolicyName, context => RateLimitPartition.GetTokenBucketLimiter(
                PartitionKey(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.Burst,
                    TokensPerPeriod = settings.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
        return services;
    }

    private static string PartitionKey(HttpContext context) =>
        context.User.FindFirst(Caller.SubjectClaim)?.Value is { } user
            ? "user:" + user
            : "address:" + context.Connection.RemoteIpAddress;

    private static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var settings = rejected.HttpContext.RequestServices.GetRequiredService<GatewaySettings>().RateLimit;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.TooManyRequests(
                $"Too many requests: the limit is {settings.PermitsPerSecond} requests per second per user, with bursts of {settings.Burst}. Retry after {seconds} s.")
            .ExecuteAsync(rejected.HttpContext);
    }
}

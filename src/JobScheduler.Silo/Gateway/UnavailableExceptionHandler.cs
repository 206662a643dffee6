using JobScheduler.Abstractions.Grains;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Orleans.Storage;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// Returns 503 with <c>Retry-After</c>, instead of 500, when a request failed because the database or a silo
/// was briefly unreachable: a PostgreSQL restart, a silo declared dead, a grain call that timed out, a stale
/// activation's rejected write. Clients
/// can repeat such a request, with the same <c>Idempotency-Key</c> for a create.
/// </summary>
public sealed partial class UnavailableExceptionHandler(ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before it repeats the request.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsTransient(exception) || context.Response.HasStarted)
        {
            return false;
        }

        LogUnavailable(logger, exception, context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = $"The database or a silo is briefly unavailable, so the request was not completed. Repeat it after {RetryAfterSeconds} s "
                + "(with the same Idempotency-Key for a create).",
            Type = "about:blank",
        };
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
        return true;
    }

    /// <summary>True when the exception or one of its inner exceptions means a dependency was briefly unreachable.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            // InconsistentStateException: storage rejected a stale write of a grain activation left on a silo that
            // hung and woke up. A repeat reaches the grain's current activation.
            if (cause is NpgsqlException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
                or ShardMovedException or InconsistentStateException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 290, Level = LogLevel.Warning,
        Message = "{Method} {Path} answered 503 because a dependency was unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);
}

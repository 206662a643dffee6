using JobScheduler.Grains.Telemetry;

namespace JobScheduler.Silo.Observability;

/// <summary>
/// Middleware that counts each request under <c>/api/</c> in <c>jobscheduler.api.requests</c>, tagged with the
/// method, the matched route template (never the raw path, which contains ids) and the final status code.
/// </summary>
public sealed class ApiRequestMetrics(RequestDelegate next, JobSchedulerMetrics metrics)
{
    /// <summary>Route tag of a request that matched no endpoint.</summary>
    public const string UnmatchedRoute = "unmatched";

    private static readonly HashSet<string> KnownMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
    };

    /// <summary>Runs the rest of the pipeline, then records the request, also when the pipeline threw.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // An exception that escapes the pipeline becomes a 500 in the server, whatever status code the response had.
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            metrics.RecordApiRequest(MethodTag(context.Request.Method), RouteTag(context), status);
        }
    }

    private static string MethodTag(string method) => KnownMethods.Contains(method) ? method.ToUpperInvariant() : "OTHER";

    /// <summary>Returns the route template with one leading and no trailing slash, such as <c>/api/v1/jobs</c>.</summary>
    private static string RouteTag(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } template }
            ? "/" + template.Trim('/')
            : UnmatchedRoute;
}

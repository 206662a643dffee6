using JobScheduler.Abstractions;
using Microsoft.AspNetCore.Mvc;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// Builds RFC 9457 problem responses. A problem about one input names it in <c>field</c> (a JSON path such
/// as <c>target.url</c>, a query parameter or a header) and repeats the message under <c>errors</c>.
/// </summary>
public static class ApiProblems
{
    /// <summary>A 400 problem on one field.</summary>
    public static IResult Invalid(string field, string message) => Create(StatusCodes.Status400BadRequest, "Invalid request", message, field);

    /// <summary>A 404 problem naming the id parameter (<c>jobId</c> or <c>executionId</c>).</summary>
    public static IResult NotFound(string field, string message) => Create(StatusCodes.Status404NotFound, "Not found", message, field);

    /// <summary>A 412 problem about the If-Match header.</summary>
    public static IResult PreconditionFailed(string message) =>
        Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", message, "If-Match");

    /// <summary>A 401 problem about the Authorization header.</summary>
    public static IResult Unauthorized(string message) => Create(StatusCodes.Status401Unauthorized, "Unauthorized", message, "Authorization");

    /// <summary>A 413 problem: the field is larger than its limit, which the message states.</summary>
    public static IResult TooLarge(string field, string message) => Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", message, field);

    /// <summary>A 429 problem of the per-user rate limit.</summary>
    public static IResult TooManyRequests(string message) => Create(StatusCodes.Status429TooManyRequests, "Too many requests", message, null);

    /// <summary>A 409 or 422 problem about the Idempotency-Key header.</summary>
    public static IResult IdempotencyKey(int status, string message) =>
        Create(status, status == StatusCodes.Status409Conflict ? "Conflict" : "Unprocessable request", message, IdempotentRequests.HeaderName);

    /// <summary>
    /// Maps a grain's rejection to its HTTP problem. A not-found or conflict error without a field of its own names
    /// <paramref name="idField"/>, the path parameter of the resource the request is about.
    /// </summary>
    public static IResult From(ApiError error, string idField = "jobId") => error.Kind switch
    {
        ApiErrorKind.Validation => Create(StatusCodes.Status400BadRequest, "Invalid request", error.Message, error.Field),
        ApiErrorKind.NotFound => Create(StatusCodes.Status404NotFound, "Not found", error.Message, error.Field ?? idField),
        ApiErrorKind.Conflict => Create(StatusCodes.Status409Conflict, "Conflict", error.Message, error.Field ?? idField),
        ApiErrorKind.QuotaExceeded => Create(StatusCodes.Status403Forbidden, "Quota exceeded", error.Message, error.Field),
        ApiErrorKind.PayloadTooLarge => Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", error.Message, error.Field),
        ApiErrorKind.PreconditionFailed => Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", error.Message, error.Field),
        _ => Create(StatusCodes.Status400BadRequest, "Invalid request", error.Message, error.Field),
    };

    /// <summary>
    /// Fills in the problems that ASP.NET writes for a bare status code, so they name the field and the fix like
    /// the gateway's own. One case: a body sent with another media type than JSON gets 415 before an endpoint runs.
    /// </summary>
    public static void DescribeStatusOnly(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
        {
            const string field = "Content-Type";
            var detail = $"The request body must be JSON: send it with Content-Type application/json (got '{context.HttpContext.Request.ContentType ?? "none"}').";
            context.ProblemDetails.Detail = detail;
            context.ProblemDetails.Extensions["field"] = field;
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }
    }

    private static IResult Create(int status, string title, string detail, string? field)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = "about:blank",
        };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return Results.Problem(problem);
    }
}

using JobScheduler.Abstractions;
using Microsoft.AspNetCore.Mvc;

namespace JobScheduler.Silo.Gateway;

/// <summary>Builds RFC 7807 problem responses that name the invalid field and say how to fix it.</summary>
public static class ApiProblems
{
    /// <summary>A 400 problem on one field.</summary>
    public static IResult Invalid(string field, string message) => Create(StatusCodes.Status400BadRequest, "Invalid request", message, field);

    /// <summary>A 404 problem.</summary>
    public static IResult NotFound(string message) => Create(StatusCodes.Status404NotFound, "Not found", message, null);

    /// <summary>Maps a grain's rejection to its HTTP problem.</summary>
    public static IResult From(ApiError error) => error.Kind switch
    {
        ApiErrorKind.Validation => Create(StatusCodes.Status400BadRequest, "Invalid request", error.Message, error.Field),
        ApiErrorKind.NotFound => Create(StatusCodes.Status404NotFound, "Not found", error.Message, error.Field),
        ApiErrorKind.Conflict => Create(StatusCodes.Status409Conflict, "Conflict", error.Message, error.Field),
        ApiErrorKind.QuotaExceeded => Create(StatusCodes.Status403Forbidden, "Quota exceeded", error.Message, error.Field),
        _ => Create(StatusCodes.Status400BadRequest, "Invalid request", error.Message, error.Field),
    };

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

using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace JobScheduler.Silo.Gateway;

/// <summary>A successful JSON response with its optional <c>Location</c> and <c>ETag</c> headers.</summary>
public sealed record ApiResponse(int StatusCode, object Body, string? Location = null, string? ETag = null) : IResult
{
    /// <summary>200 with a body.</summary>
    public static ApiResponse Ok(object body, string? etag = null) => new(StatusCodes.Status200OK, body, null, etag);

    /// <summary>Serializes the body with the API's JSON conventions.</summary>
    public string Serialize(HttpContext context) =>
        JsonSerializer.Serialize(Body, Body.GetType(), context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, StatusCode, Location, ETag, Serialize(httpContext));

    /// <summary>Writes a response whose body is already JSON text (also used to replay a stored response).</summary>
    public static async Task WriteAsync(HttpContext context, int statusCode, string? location, string? etag, string json)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(json, context.RequestAborted);
    }
}

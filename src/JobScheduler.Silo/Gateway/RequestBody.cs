using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace JobScheduler.Silo.Gateway;

/// <summary>Reads a JSON body, turning every malformed input into a problem that names the field.</summary>
public static class RequestBody
{
    /// <summary>
    /// Deserializes the body. On failure it returns a null value and a 400 problem, or a 413 problem when
    /// the body is larger than the request-body limit.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options)
        where T : class
    {
        var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is { } max && request.ContentLength > max)
        {
            return (null, BodyTooLarge(request.ContentLength.Value, max));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return value is null ? (null, NotAnObject) : (value, null);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, BodyTooLarge(null, limit ?? 0));
        }
        catch (JsonException exception)
        {
            // The reader's own exception is wrapped for malformed JSON; converter and type errors are not.
            if (exception.InnerException is JsonException inner)
            {
                return (null, ApiProblems.Invalid("body", IsTooDeep(inner)
                    ? $"The request body nests deeper than {MaxDepthOf(options)} levels; flatten the payload."
                    : "The request body is not valid JSON; send a JSON object."));
            }

            var field = FieldOf(exception.Path);
            return field == "body"
                ? (null, NotAnObject)
                : (null, ApiProblems.Invalid(field, $"The field '{field}' has an invalid value or type. {Hint(field, exception)}".TrimEnd()));
        }
    }

    /// <summary>The serializer's maximum nesting depth; 0 in the options means its default of 64.</summary>
    private static int MaxDepthOf(JsonSerializerOptions options) => options.MaxDepth == 0 ? 64 : options.MaxDepth;

    /// <summary>True for the reader's error on JSON nested past the serializer's maximum depth.</summary>
    private static bool IsTooDeep(JsonException exception) =>
        exception.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase);

    /// <summary>The problem for valid JSON that is not an object, such as <c>[]</c>, <c>42</c> or <c>null</c>.</summary>
    private static IResult NotAnObject => ApiProblems.Invalid("body", "The request body must be a JSON object.");

    private static IResult BodyTooLarge(long? length, long limit)
    {
        var size = length is { } bytes ? $"is {bytes} bytes" : "is larger than the limit";
        return ApiProblems.TooLarge("body",
            $"The request body {size}; the limit is {limit} bytes (setting Gateway:MaxRequestBodyBytes). The job payload alone may be at most Jobs:MaxPayloadBytes.");
    }

    /// <summary>Turns a JSON path such as <c>$.target.timeoutSeconds</c> into <c>target.timeoutSeconds</c>.</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static readonly Dictionary<string, string> FieldHints = new(StringComparer.Ordinal)
    {
        ["type"] = "Use ONE_TIME or RECURRING.",
        ["priority"] = "Use HIGH, NORMAL or LOW.",
        ["misfirePolicy"] = "Use FIRE_ONCE, SKIP or FIRE_ALL.",
        ["concurrencyPolicy"] = "Use ALLOW, FORBID or REPLACE.",
        ["webhook.events"] = "Give a list of SUCCEEDED, FAILED, TIMED_OUT, RETRYING, DEAD_LETTERED, SKIPPED, CANCELLED.",
        ["target.type"] = "Use HTTP or HANDLER.",
        ["target.headers"] = "Give an object of string values.",
        ["target.timeoutSeconds"] = "Give a whole number of seconds.",
        ["startAt"] = "Give an ISO-8601 instant with an offset or Z, such as 2026-12-04T10:00:00Z.",
        ["endAt"] = "Give an ISO-8601 instant with an offset or Z, such as 2026-12-04T10:00:00Z.",
        ["name"] = "Give a string of 1 to 200 characters.",
        ["timeZone"] = "Give an IANA time zone id as a string, such as \"Europe/Berlin\".",
        ["scheduleExpression"] = "Give a string: a cron expression, a macro such as \"@daily\", or an ISO-8601 instant for ONE_TIME.",
        ["target"] = "Give an object such as {\"type\": \"HTTP\", \"url\": \"https://example.com/run\"}.",
        ["target.url"] = "Give an absolute http or https URL as a string.",
        ["target.method"] = "Use GET, POST, PUT, PATCH or DELETE.",
        ["target.name"] = "Give the handler name as a string.",
        ["retryPolicy"] = "Give an object such as {\"maxRetries\": 3, \"retryInterval\": 300}.",
        ["retryPolicy.maxRetries"] = "Give a whole number of retries.",
        ["retryPolicy.retryInterval"] = "Give a whole number of seconds.",
        ["retryPolicy.maxRetryInterval"] = "Give a whole number of seconds.",
        ["retryPolicy.jitter"] = "Give a number from 0 to 1.",
        ["misfireThreshold"] = "Give a whole number of seconds.",
        ["maxExecutions"] = "Give a whole number of scheduled executions.",
        ["jitterSeconds"] = "Give a whole number of seconds from 0 to 3600.",
        ["webhook"] = "Give an object such as {\"url\": \"https://example.com/hooks\", \"events\": [\"FAILED\"]}.",
        ["webhook.url"] = "Give an absolute http or https URL as a string.",
    };

    /// <summary>A hint for the field, else our own converters' message (it gives the expected form).</summary>
    private static string Hint(string field, JsonException exception)
    {
        if (FieldHints.TryGetValue(field, out var hint))
        {
            return hint;
        }

        if (field.StartsWith("target.headers.", StringComparison.Ordinal))
        {
            return FieldHints["target.headers"];
        }

        if (field.StartsWith("webhook.events[", StringComparison.Ordinal))
        {
            return FieldHints["webhook.events"];
        }

        return exception.Message.StartsWith(ApiJson.InstantFormatMessage, StringComparison.Ordinal) ? ApiJson.InstantFormatMessage : "";
    }
}

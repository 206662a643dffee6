namespace JobScheduler.Abstractions;

/// <summary>Kind of a rejected request, mapped by the gateway to an HTTP status.</summary>
[GenerateSerializer, Alias("js.ApiErrorKind")]
public enum ApiErrorKind
{
    /// <summary>Invalid input (400).</summary>
    Validation = 0,

    /// <summary>Unknown or not owned by the caller (404).</summary>
    NotFound = 1,

    /// <summary>Not allowed in the current state (409).</summary>
    Conflict = 2,

    /// <summary>A per-user quota is exhausted (403 in the gateway's mapping).</summary>
    QuotaExceeded = 3,

    /// <summary>A value is larger than its configured limit (413).</summary>
    PayloadTooLarge = 4,

    /// <summary>The caller's expected version (If-Match) is not the current one (412).</summary>
    PreconditionFailed = 5,
}

/// <summary>A rejected request: what is wrong, on which field, and how to fix it.</summary>
[GenerateSerializer, Alias("js.ApiError")]
public sealed record ApiError(
    [property: Id(0)] ApiErrorKind Kind,
    [property: Id(1)] string? Field,
    [property: Id(2)] string Message)
{
    /// <summary>Creates a validation error on a field.</summary>
    public static ApiError Invalid(string field, string message) => new(ApiErrorKind.Validation, field, message);

    /// <summary>Creates a not-found error.</summary>
    public static ApiError NotFound(string message) => new(ApiErrorKind.NotFound, null, message);
}

/// <summary>A grain call's value or the reason it was rejected. Rejections are values, not exceptions.</summary>
[GenerateSerializer, Alias("js.ApiResult`1")]
public sealed record ApiResult<T>([property: Id(0)] T? Value, [property: Id(1)] ApiError? Error)
{
    /// <summary>True when the call succeeded.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>Wraps a value.</summary>
    public static ApiResult<T> Ok(T value) => new(value, null);

    /// <summary>Wraps an error.</summary>
    public static ApiResult<T> Fail(ApiError error) => new(default, error);
}

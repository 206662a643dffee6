using System.Security.Cryptography;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// The <c>Idempotency-Key</c> header of create and execute-now: a repeated key from the same user within
/// 24 hours gets the stored first response (same status, headers and body, plus
/// <c>Idempotent-Replayed: true</c>) instead of running again. Only successful responses are stored, so a
/// rejected request can be fixed and retried with the same key.
/// </summary>
public static class IdempotentRequests
{
    /// <summary>The request header.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The response header marking a replayed response.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Longest accepted key, in characters.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>
    /// Runs <paramref name="action"/> once per key; requests without the header always run it. A repeat while the
    /// first request still runs gets 409.
    /// </summary>
    public static Task<IResult> RunAsync(HttpContext context, IGrainFactory grains, Func<Task<IResult>> action) =>
        RunAsync(context, grains, _ => action(), repeatsRunConcurrently: false);

    /// <summary>
    /// Runs <paramref name="action"/> once per key, passing the key and the time it was first claimed; requests
    /// without the header always run it, with null. A key whose first request was cut off is claimed again with the
    /// same first time, so the action can derive the same resource id from both. With
    /// <paramref name="repeatsRunConcurrently"/>, which only such an action may set, a repeat while the first request
    /// still runs (its silo may be hung) runs too instead of getting 409. It stores its response but never releases
    /// the key, which stays the first request's.
    /// </summary>
    public static async Task<IResult> RunAsync(
        HttpContext context, IGrainFactory grains, Func<ClaimedKey?, Task<IResult>> action, bool repeatsRunConcurrently)
    {
        var header = context.Request.Headers[HeaderName];
        if (header.Count == 0)
        {
            return await action(null);
        }

        var key = header.ToString();
        if (header.Count > 1 || key.Length is 0 or > MaxKeyLength || !key.All(c => c is > ' ' and < (char)127))
        {
            return ApiProblems.Invalid(HeaderName,
                $"The Idempotency-Key header must be one value of 1 to {MaxKeyLength} visible ASCII characters, such as a UUID.");
        }

        var fingerprint = await FingerprintAsync(context.Request);
        var store = grains.GetGrain<IIdempotencyGrain>("idem_" + Caller.UserId(context));
        var lookup = await store.Begin(key, fingerprint);
        switch (lookup.State)
        {
            case IdempotencyState.Completed:
                return new ReplayedResponse(lookup.Response!);
            case IdempotencyState.InProgress when !repeatsRunConcurrently:
                return ApiProblems.IdempotencyKey(StatusCodes.Status409Conflict,
                    "A request with this Idempotency-Key is still running; retry in a moment to get its result.");
            case IdempotencyState.Mismatch:
                return ApiProblems.IdempotencyKey(StatusCodes.Status422UnprocessableEntity,
                    "This Idempotency-Key was already used for a different request (method, path or body); use a new key for a new request.");
        }

        var ownsClaim = lookup.State == IdempotencyState.Claimed;
        IResult result;
        try
        {
            result = await action(new ClaimedKey(key, lookup.FirstClaimedAt));
        }
        catch when (ownsClaim)
        {
            await store.Abandon(key);
            throw;
        }

        if (result is ApiResponse { StatusCode: >= 200 and < 300 } success)
        {
            await store.Complete(key, new StoredResponse(success.StatusCode, success.Location, success.ETag, success.Serialize(context)));
        }
        else if (ownsClaim)
        {
            await store.Abandon(key);
        }

        return result;
    }

    /// <summary>SHA-256 of the method, path and body; the body is buffered so the endpoint can still read it.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The endpoint reads the body again and returns the 413 problem itself.
        }

        request.Body.Position = 0;
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>An <c>Idempotency-Key</c> this request holds, and when it was first claimed.</summary>
    public sealed record ClaimedKey(string Key, DateTimeOffset FirstClaimedAt);

    private sealed class ReplayedResponse(StoredResponse stored) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[ReplayedHeader] = "true";
            return ApiResponse.WriteAsync(httpContext, stored.StatusCode, stored.Location, stored.ETag, stored.Body);
        }
    }
}

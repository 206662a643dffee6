namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// The results of one user's requests that carried an <c>Idempotency-Key</c> header (key: <c>idem_</c>
/// followed by the user id), so a repeated key within 24 hours returns the first result instead of
/// creating again.
/// </summary>
[Alias("js.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims <paramref name="key"/> for a request with the given fingerprint, or returns the stored result
    /// of the request that claimed it first.
    /// </summary>
    [Alias("Begin")]
    Task<IdempotencyLookup> Begin(string key, string fingerprint);

    /// <summary>Stores the result of a claimed key.</summary>
    [Alias("Complete")]
    Task Complete(string key, StoredResponse response);

    /// <summary>Releases a claimed key whose request did not succeed, so the client may retry with it.</summary>
    [Alias("Abandon")]
    Task Abandon(string key);
}

/// <summary>What <see cref="IIdempotencyGrain.Begin"/> found.</summary>
[GenerateSerializer, Alias("js.IdempotencyState")]
public enum IdempotencyState
{
    /// <summary>The key was free and is now claimed by the caller, which must complete or abandon it.</summary>
    Claimed = 0,

    /// <summary>The key has a stored result, returned in <see cref="IdempotencyLookup.Response"/>.</summary>
    Completed = 1,

    /// <summary>Another request with this key is still running.</summary>
    InProgress = 2,

    /// <summary>The key was used for a different request (another method, path or body).</summary>
    Mismatch = 3,
}

/// <summary>
/// The result of <see cref="IIdempotencyGrain.Begin"/>. A <see cref="IdempotencyState.Claimed"/> or
/// <see cref="IdempotencyState.InProgress"/> result carries <see cref="FirstClaimedAt"/>, when the key was first claimed. A claim whose request was cut off expires, and the
/// next request with the key claims it again with the same first time, so a create can derive the job id the cut-off
/// request chose.
/// </summary>
[GenerateSerializer, Alias("js.IdempotencyLookup")]
public sealed record IdempotencyLookup(
    [property: Id(0)] IdempotencyState State,
    [property: Id(1)] StoredResponse? Response,
    [property: Id(2)] DateTimeOffset FirstClaimedAt = default);

/// <summary>An HTTP response kept for replay: status code, the headers that matter and the JSON body.</summary>
[GenerateSerializer, Alias("js.StoredResponse")]
public sealed record StoredResponse(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string? Location,
    [property: Id(2)] string? ETag,
    [property: Id(3)] string Body);

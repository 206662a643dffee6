using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage;

/// <summary>
/// The durable copy of the idempotency keys that <c>IdempotencyGrain</c> keeps in memory, so a repeated
/// request still gets its first result after a silo restart or a move of the grain. Only the user's grain
/// writes that user's keys, so the store needs no locking of its own.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Returns the record of one user's key, or null when none is stored.</summary>
    ValueTask<IdempotencyRecord?> FindAsync(string userId, string key, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of one user's key.</summary>
    ValueTask SaveAsync(string userId, string key, IdempotencyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record of one user's key, if any.</summary>
    ValueTask DeleteAsync(string userId, string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every record created before <paramref name="cutoff"/> and returns how many were deleted.</summary>
    ValueTask<long> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}

/// <summary>
/// A claimed idempotency key: the fingerprint of the request that claimed it, the claim time and, once that
/// request completed, its response.
/// </summary>
public sealed record IdempotencyRecord(string Fingerprint, DateTimeOffset CreatedAt, StoredResponse? Response);

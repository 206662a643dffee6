using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Grains.Idempotency;

/// <summary>
/// One user's idempotency keys and the results they produced, kept for <see cref="Retention"/>. A key is
/// claimed before the request runs, so two concurrent requests with one key never both create. Every claim,
/// result and release is written to <see cref="IIdempotencyStore"/> before the call returns, and a key not in
/// memory is looked up there, so a restart or a move of the grain keeps the keys (in durable mode).
/// </summary>
public sealed class IdempotencyGrain(
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time, IIdempotencyStore store) : Grain, IIdempotencyGrain
{
    /// <summary>The prefix of the grain key, followed by the user id.</summary>
    public const string KeyPrefix = "idem_";

    /// <summary>How long a stored result is returned for a repeated key.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// A claim whose request neither completed nor abandoned it (its silo died) expires after this; the next request
    /// with the key claims it again.
    /// </summary>
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Keys kept per user; the oldest results are dropped first.</summary>
    private const int MaxEntries = 10_000;

    /// <summary>Response bytes kept per user; the oldest results are dropped first.</summary>
    private const long MaxBodyChars = 32L * 1024 * 1024;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private long _bodyChars;

    public async Task<IdempotencyLookup> Begin(string key, string fingerprint)
    {
        var now = time.GetUtcNow();
        Expire(now);
        var entry = _entries.GetValueOrDefault(key) ?? await LoadAsync(key, now);
        if (entry is not null)
        {
            if (entry.Fingerprint != fingerprint)
            {
                return new IdempotencyLookup(IdempotencyState.Mismatch, null);
            }

            if (entry.Response is { } response)
            {
                return new IdempotencyLookup(IdempotencyState.Completed, response);
            }

            if (now - entry.ClaimedAt < ClaimTimeout)
            {
                return new IdempotencyLookup(IdempotencyState.InProgress, null, entry.CreatedAt);
            }

            // The claiming request was cut off. The stored row keeps its first claim time.
            _entries[key] = entry with { ClaimedAt = now };
            return new IdempotencyLookup(IdempotencyState.Claimed, null, entry.CreatedAt);
        }

        var claim = new Entry(fingerprint, now, null, now);
        await store.SaveAsync(UserId, key, new IdempotencyRecord(claim.Fingerprint, claim.CreatedAt, null));
        Add(key, claim);
        return new IdempotencyLookup(IdempotencyState.Claimed, null, now);
    }

    public async Task Complete(string key, StoredResponse response)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.Response is not null)
        {
            return;
        }

        await store.SaveAsync(UserId, key, new IdempotencyRecord(entry.Fingerprint, entry.CreatedAt, response));
        _entries[key] = entry with { Response = response };
        _bodyChars += response.Body.Length;
        Trim();
        DelayDeactivation(Retention);
    }

    public async Task Abandon(string key)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Response is null)
        {
            Remove(key);
            await store.DeleteAsync(UserId, key);
        }
    }

    private string UserId
    {
        get
        {
            var grainKey = this.GetPrimaryKeyString();
            return grainKey.StartsWith(KeyPrefix, StringComparison.Ordinal) ? grainKey[KeyPrefix.Length..] : grainKey;
        }
    }

    /// <summary>Reads a key this activation does not hold from the store, and keeps it unless it has expired.</summary>
    private async Task<Entry?> LoadAsync(string key, DateTimeOffset now)
    {
        if (await store.FindAsync(UserId, key) is not { } record || now - record.CreatedAt >= Retention)
        {
            return null;
        }

        // The claim time is not stored: a claim loaded here counts from its first claim.
        var entry = new Entry(record.Fingerprint, record.CreatedAt, record.Response, record.CreatedAt);
        Add(key, entry);
        _bodyChars += entry.Response?.Body.Length ?? 0;
        return entry;
    }

    private void Add(string key, Entry entry)
    {
        _entries[key] = entry;
        _order.AddLast(key);
        Trim();
    }

    /// <summary>Drops entries older than the retention period; the order list is oldest first.</summary>
    private void Expire(DateTimeOffset now)
    {
        while (_order.First is { } oldest && now - _entries[oldest.Value].CreatedAt >= Retention)
        {
            Remove(oldest.Value);
        }
    }

    private void Trim()
    {
        while (_order.First is { } oldest && (_entries.Count > MaxEntries || _bodyChars > MaxBodyChars))
        {
            Remove(oldest.Value);
        }
    }

    private void Remove(string key)
    {
        if (_entries.Remove(key, out var entry))
        {
            _order.Remove(key);
            _bodyChars -= entry.Response?.Body.Length ?? 0;
        }
    }

    /// <summary>A key: <paramref name="CreatedAt"/> is its first claim, <paramref name="ClaimedAt"/> its latest.</summary>
    private sealed record Entry(string Fingerprint, DateTimeOffset CreatedAt, StoredResponse? Response, DateTimeOffset ClaimedAt);
}

using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace JobScheduler.Grains.Idempotency;

/// <summary>
/// One user's idempotency keys and the results they produced, kept for <see cref="Retention"/>. A key is
/// claimed before the request runs, so two concurrent requests with one key never both create.
/// </summary>
/// <remarks>
/// NOTE: the keys live in this activation's memory only (in dev and in durable mode). The activation delays
/// its deactivation for the retention period after each stored result, but a silo restart or a move to
/// another silo loses the keys, and a repeated request then runs again.
/// </remarks>
public sealed class IdempotencyGrain([FromKeyedServices(SchedulerTime.Key)] TimeProvider time) : Grain, IIdempotencyGrain
{
    /// <summary>How long a stored result is returned for a repeated key.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A claim whose request never completed or abandoned (its silo died) expires after this.</summary>
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Keys kept per user; the oldest results are dropped first.</summary>
    private const int MaxEntries = 10_000;

    /// <summary>Response bytes kept per user; the oldest results are dropped first.</summary>
    private const long MaxBodyChars = 32L * 1024 * 1024;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private long _bodyChars;

    public Task<IdempotencyLookup> Begin(string key, string fingerprint)
    {
        var now = time.GetUtcNow();
        Expire(now);
        if (_entries.TryGetValue(key, out var entry))
        {
            if (entry.Fingerprint != fingerprint)
            {
                return Task.FromResult(new IdempotencyLookup(IdempotencyState.Mismatch, null));
            }

            if (entry.Response is { } response)
            {
                return Task.FromResult(new IdempotencyLookup(IdempotencyState.Completed, response));
            }

            if (now - entry.CreatedAt < ClaimTimeout)
            {
                return Task.FromResult(new IdempotencyLookup(IdempotencyState.InProgress, null));
            }

            Remove(key);
        }

        Add(key, new Entry(fingerprint, now, null));
        return Task.FromResult(new IdempotencyLookup(IdempotencyState.Claimed, null));
    }

    public Task Complete(string key, StoredResponse response)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Response is null)
        {
            _entries[key] = entry with { Response = response };
            _bodyChars += response.Body.Length;
            Trim();
            DelayDeactivation(Retention);
        }

        return Task.CompletedTask;
    }

    public Task Abandon(string key)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Response is null)
        {
            Remove(key);
        }

        return Task.CompletedTask;
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

    private sealed record Entry(string Fingerprint, DateTimeOffset CreatedAt, StoredResponse? Response);
}

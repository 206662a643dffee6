namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// Limits the requests open at once to each receiver, keyed by host and port. A key's semaphore exists only
/// while someone holds or waits for it, so the map does not grow with every host ever called.
/// </summary>
internal sealed class HostConcurrencyLimiter(int maxPerHost)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Waits for a free slot of <paramref name="host"/>. Disposing the result releases it.</summary>
    public async ValueTask<Lease> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(host, out entry!))
            {
                entry = new Entry(new SemaphoreSlim(maxPerHost, maxPerHost));
                _entries[host] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(host, entry);
            throw;
        }

        return new Lease(this, host, entry);
    }

    /// <summary>Number of hosts with a request open or waiting.</summary>
    public int ActiveHosts
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    private void Leave(string host, Entry entry)
    {
        lock (_lock)
        {
            entry.Users--;
            if (entry.Users == 0)
            {
                _entries.Remove(host);
                entry.Slots.Dispose();
            }
        }
    }

    internal sealed class Entry(SemaphoreSlim slots)
    {
        public SemaphoreSlim Slots { get; } = slots;

        /// <summary>Holders and waiters, guarded by the limiter's lock.</summary>
        public int Users { get; set; }
    }

    /// <summary>A held slot, released when disposed.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly HostConcurrencyLimiter _owner;
        private readonly string _host;
        private readonly Entry _entry;
        private int _released;

        internal Lease(HostConcurrencyLimiter owner, string host, Entry entry)
        {
            _owner = owner;
            _host = host;
            _entry = entry;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _entry.Slots.Release();
                _owner.Leave(_host, _entry);
            }
        }
    }
}

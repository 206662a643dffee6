using System.Collections.Concurrent;
using System.Globalization;

namespace JobScheduler.Failover.Measurement;

/// <summary>One run of an idempotency key: the silo that ran it, its attempt number and its start.</summary>
public readonly record struct Run(int Silo, int Attempt, long StartMs);

/// <summary>Every run the silos reported, by idempotency key.</summary>
public sealed class RunLog
{
    private readonly ConcurrentDictionary<string, List<Run>> _runs = new(StringComparer.Ordinal);
    private long _count;

    /// <summary>Runs received so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Parses a silo's run line (<c>{key} {attempt} {start ms}</c>, prefix removed); false when malformed.</summary>
    public bool TryAdd(int silo, ReadOnlySpan<char> line)
    {
        var last = line.LastIndexOf(' ');
        if (last <= 0 || !long.TryParse(line[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        var rest = line[..last];
        var middle = rest.LastIndexOf(' ');
        if (middle <= 0 || !int.TryParse(rest[(middle + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
        {
            return false;
        }

        var runs = _runs.GetOrAdd(rest[..middle].ToString(), _ => []);
        lock (runs)
        {
            runs.Add(new Run(silo, attempt, start));
        }

        Interlocked.Increment(ref _count);
        return true;
    }

    /// <summary>The runs of <paramref name="key"/> ordered by start, or an empty list.</summary>
    public IReadOnlyList<Run> RunsOf(string key)
    {
        if (!_runs.TryGetValue(key, out var runs))
        {
            return [];
        }

        lock (runs)
        {
            return runs.OrderBy(run => run.StartMs).ToList();
        }
    }

    /// <summary>The keys that ran at least once.</summary>
    public ICollection<string> Keys => _runs.Keys;
}

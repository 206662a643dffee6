using System.Collections.Concurrent;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// The benchmark's job body: a no-op that records when each run started and counts runs per idempotency
/// key. Expected instants are registered before their job is created, so a run never races its registration.
/// </summary>
public sealed class RecordingHandler : IJobHandler
{
    /// <summary>The handler name jobs target.</summary>
    public const string Name = "bench-noop";

    private readonly ConcurrentDictionary<string, InstantRuns> _instants = new(StringComparer.Ordinal);
    private int _expectedPending;
    private long _runs;
    private long _firstStart = long.MaxValue;
    private long _lastStart = long.MinValue;

    /// <summary>Expected instants that have not started yet.</summary>
    public int ExpectedPending => Volatile.Read(ref _expectedPending);

    /// <summary>Runs of any key so far.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Timestamp of the earliest run, or null before the first.</summary>
    public long? FirstStart => Interlocked.Read(ref _firstStart) is var value && value != long.MaxValue ? value : null;

    /// <summary>Timestamp of the latest run, or null before the first.</summary>
    public long? LastStart => Interlocked.Read(ref _lastStart) is var value && value != long.MinValue ? value : null;

    /// <summary>Registers an instant that must run once: key <c>{jobId}:{unix ms}</c>.</summary>
    public void Expect(string jobId, long scheduledUnixMs)
    {
        var key = string.Concat(jobId, ":", scheduledUnixMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_instants.TryAdd(key, new InstantRuns(scheduledUnixMs, expected: true)))
        {
            Interlocked.Increment(ref _expectedPending);
        }
    }

    /// <summary>Withdraws an instant whose job could not be created.</summary>
    public void Withdraw(string jobId, long scheduledUnixMs)
    {
        var key = string.Concat(jobId, ":", scheduledUnixMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_instants.TryRemove(key, out var removed) && removed.Count == 0)
        {
            Interlocked.Decrement(ref _expectedPending);
        }
    }

    public Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = WallClock.Now();
        if (!_instants.TryGetValue(context.IdempotencyKey, out var instant))
        {
            instant = _instants.GetOrAdd(context.IdempotencyKey, _ => new InstantRuns(context.ScheduledAt.ToUnixTimeMilliseconds(), expected: false));
        }

        if (instant.Record(started) && instant.Expected)
        {
            Interlocked.Decrement(ref _expectedPending);
        }

        Interlocked.Increment(ref _runs);
        UpdateMin(ref _firstStart, started);
        UpdateMax(ref _lastStart, started);
        return Task.CompletedTask;
    }

    /// <summary>Returns a snapshot of every key and its runs.</summary>
    public IReadOnlyCollection<KeyValuePair<string, InstantRuns>> Snapshot() => _instants.ToList();

    /// <summary>Forgets every instant and run, so one process can measure a second phase on its own.</summary>
    public void Reset()
    {
        _instants.Clear();
        Volatile.Write(ref _expectedPending, 0);
        Interlocked.Exchange(ref _runs, 0);
        Interlocked.Exchange(ref _firstStart, long.MaxValue);
        Interlocked.Exchange(ref _lastStart, long.MinValue);
    }

    private static void UpdateMin(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void UpdateMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>The runs of one idempotency key: how many, and when the first one started.</summary>
public sealed class InstantRuns(long scheduledUnixMs, bool expected)
{
    private int _count;
    private long _firstStart;

    /// <summary>The scheduled instant, in Unix milliseconds.</summary>
    public long ScheduledUnixMs { get; } = scheduledUnixMs;

    /// <summary>True when the benchmark created a job for this instant, false for a key it did not expect.</summary>
    public bool Expected { get; } = expected;

    /// <summary>Runs so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Timestamp (<see cref="WallClock.Now"/>) of the first run, valid once <see cref="Count"/> is above 0.</summary>
    public long FirstStart => Volatile.Read(ref _firstStart);

    /// <summary>Counts a run and returns true for the first.</summary>
    public bool Record(long started)
    {
        // The first run stores its start before it becomes visible through the count.
        if (Interlocked.CompareExchange(ref _firstStart, started, 0) == 0)
        {
            Interlocked.Increment(ref _count);
            return true;
        }

        Interlocked.Increment(ref _count);
        return false;
    }
}

using System.Diagnostics;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// Lag and loss figures computed from the recording handler after a run. Lag is the first run's start
/// minus the scheduled instant. An expected instant is missing when it never ran or first ran more than
/// <see cref="MissingAfter"/> after its time. Duplicates are runs of a key beyond its first.
/// </summary>
public sealed record ExecutionStats
{
    /// <summary>An instant that has not run this long after its time counts as missing.</summary>
    public static readonly TimeSpan MissingAfter = TimeSpan.FromSeconds(120);

    public int Expected { get; init; }

    public int Started { get; init; }

    public int Missing { get; init; }

    public long Duplicates { get; init; }

    /// <summary>Keys that ran although no job of the benchmark was scheduled for them.</summary>
    public int Unexpected { get; init; }

    public long Runs { get; init; }

    public double? LagP50Ms { get; init; }

    public double? LagP95Ms { get; init; }

    public double? LagP99Ms { get; init; }

    public double? LagMaxMs { get; init; }

    /// <summary>Runs per second from the first start to the last.</summary>
    public double? ExecThroughput { get; init; }

    /// <summary>Per scheduled instant, the lag of its last first-run: the median over instants.</summary>
    public double? InstantSpreadP50Ms { get; init; }

    /// <summary>Per scheduled instant, the lag of its last first-run: the worst instant.</summary>
    public double? InstantSpreadMaxMs { get; init; }

    /// <summary>Scheduled instants whose runs did not all start within 250 ms.</summary>
    public int InstantsOver250Ms { get; init; }

    /// <summary>Per scheduled instant in time order, the lag of its last first-run, in milliseconds.</summary>
    public IReadOnlyList<double> InstantSpreadsMs { get; init; } = [];

    /// <summary>Up to 20 idempotency keys of missing instants, for investigation.</summary>
    public IReadOnlyList<string> MissingSample { get; init; } = [];

    /// <summary>Distinct scheduled instants among the expected keys.</summary>
    public int Instants { get; init; }

    /// <summary>Computes the figures from a snapshot of the handler's records.</summary>
    public static ExecutionStats Compute(RecordingHandler recorder)
    {
        var snapshot = recorder.Snapshot();
        var missingSample = new List<string>();
        var lags = new List<double>(snapshot.Count);
        var lastByInstant = new Dictionary<long, double>();
        int expected = 0, missing = 0, unexpected = 0;
        long duplicates = 0;
        foreach (var (key, instant) in snapshot)
        {
            var count = instant.Count;
            duplicates += Math.Max(0, count - 1);
            if (!instant.Expected)
            {
                unexpected++;
                continue;
            }

            expected++;
            if (count == 0)
            {
                missing++;
                if (missingSample.Count < 20)
                {
                    missingSample.Add(key);
                }

                continue;
            }

            var lag = WallClock.ToUnixMs(instant.FirstStart) - instant.ScheduledUnixMs;
            lags.Add(lag);
            if (lag > MissingAfter.TotalMilliseconds)
            {
                missing++;
            }

            lastByInstant[instant.ScheduledUnixMs] = lastByInstant.TryGetValue(instant.ScheduledUnixMs, out var last) ? Math.Max(last, lag) : lag;
        }

        lags.Sort();
        var spreads = lastByInstant.Values.Order().ToList();
        double? throughput = null;
        if (recorder.FirstStart is { } first && recorder.LastStart is { } lastStart && lastStart > first && recorder.Runs > 1)
        {
            throughput = (recorder.Runs - 1) / ((lastStart - first) / (double)Stopwatch.Frequency);
        }

        return new ExecutionStats
        {
            Expected = expected,
            Started = lags.Count,
            Missing = missing,
            Duplicates = duplicates,
            Unexpected = unexpected,
            Runs = recorder.Runs,
            LagP50Ms = Percentile(lags, 50),
            LagP95Ms = Percentile(lags, 95),
            LagP99Ms = Percentile(lags, 99),
            LagMaxMs = lags.Count > 0 ? lags[^1] : null,
            ExecThroughput = throughput,
            InstantSpreadP50Ms = Percentile(spreads, 50),
            InstantSpreadMaxMs = spreads.Count > 0 ? spreads[^1] : null,
            InstantsOver250Ms = spreads.Count(spread => spread > 250),
            Instants = spreads.Count,
            MissingSample = missingSample,
            InstantSpreadsMs = lastByInstant.OrderBy(pair => pair.Key).Select(pair => Math.Round(pair.Value, 1)).ToList(),
        };
    }

    /// <summary>Returns the nearest-rank percentile of sorted values, or null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

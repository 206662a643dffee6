using System.Diagnostics;

namespace JobScheduler.Benchmarks.Measurement;

/// <summary>
/// Maps <see cref="Stopwatch.GetTimestamp"/> readings to UTC wall time. The handler records only a timestamp
/// (tens of nanoseconds), and lags are computed after the run against the scheduled instants, which the
/// silo compares with <see cref="DateTimeOffset.UtcNow"/>.
/// </summary>
public static class WallClock
{
    private static readonly long OriginTimestamp;
    private static readonly long OriginUnixTicks;

    static WallClock()
    {
        // Take the pair read closest together of a few tries, so a preemption between the two reads
        // does not shift every later reading.
        var bestGap = long.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var wall = DateTime.UtcNow.Ticks;
            var after = Stopwatch.GetTimestamp();
            if (after - before < bestGap)
            {
                bestGap = after - before;
                OriginTimestamp = before + (after - before) / 2;
                OriginUnixTicks = wall - DateTime.UnixEpoch.Ticks;
            }
        }
    }

    /// <summary>The current high-resolution timestamp.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Converts a timestamp to milliseconds since the Unix epoch, with sub-millisecond precision.</summary>
    public static double ToUnixMs(long timestamp)
    {
        var elapsedTicks = (timestamp - OriginTimestamp) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;
        return (OriginUnixTicks + elapsedTicks) / TimeSpan.TicksPerMillisecond;
    }

    /// <summary>The current wall time in Unix milliseconds on the same scale as <see cref="ToUnixMs"/>.</summary>
    public static double NowUnixMs() => ToUnixMs(Stopwatch.GetTimestamp());
}

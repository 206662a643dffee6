using JobScheduler.Benchmarks.Measurement;

namespace JobScheduler.Benchmarks.Workloads;

/// <summary>
/// Waits for the expected instants to run. The wait ends when every expected instant has started, or
/// <see cref="ExecutionStats.MissingAfter"/> after the last instant (the rest then count as missing), and
/// then lasts <c>--settle</c> seconds more so late duplicates are counted. The CPU window runs from the
/// first instant to the last expected start.
/// </summary>
public static class ExecutionWait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>Waits as described and returns the CPU use from <paramref name="firstDueMs"/> to the last expected start.</summary>
    public static async Task<CpuUse> WaitAsync(
        RecordingHandler recorder, ResourceMonitor monitor, long firstDueMs, long lastDueMs, double settleSeconds, string label)
    {
        var giveUpMs = lastDueMs + ExecutionStats.MissingAfter.TotalMilliseconds;
        // Sleep until just before the first instant, then start the CPU window.
        var untilFirst = firstDueMs - 50 - WallClock.NowUnixMs();
        if (untilFirst > 0)
        {
            await Console.Error.WriteLineAsync($"{label}: waiting {untilFirst / 1000:N1} s for the first instant");
            await Task.Delay(TimeSpan.FromMilliseconds(untilFirst));
        }

        var window = CpuWindow.Start(monitor);
        var reportMs = WallClock.NowUnixMs() + 5000;
        while (recorder.ExpectedPending > 0 && WallClock.NowUnixMs() < giveUpMs)
        {
            await Task.Delay(Poll);
            if (WallClock.NowUnixMs() >= reportMs)
            {
                reportMs += 5000;
                await Console.Error.WriteLineAsync($"{label}: {recorder.Runs:N0} runs, {recorder.ExpectedPending:N0} expected instants still to start");
            }
        }

        var cpu = window.Stop();
        if (recorder.ExpectedPending > 0)
        {
            await Console.Error.WriteLineAsync($"{label}: {recorder.ExpectedPending:N0} expected instants did not start within {ExecutionStats.MissingAfter.TotalSeconds:N0} s of the last instant");
        }

        await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
        return cpu;
    }
}

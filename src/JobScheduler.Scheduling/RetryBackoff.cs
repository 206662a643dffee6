namespace JobScheduler.Scheduling;

/// <summary>
/// Exponential retry backoff with jitter, computed in floating point so that it saturates at the cap
/// instead of overflowing for large attempt numbers.
/// </summary>
public static class RetryBackoff
{
    /// <summary>The shortest delay returned, so that a retry never runs in a tight loop.</summary>
    public static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(1);

    // 2^62 already exceeds any TimeSpan, so larger exponents cannot change the capped result.
    private const int MaxExponent = 62;

    /// <summary>
    /// Computes the delay before the attempt that follows attempt <paramref name="attemptNumber"/>:
    /// <c>retryInterval * 2^(attemptNumber - 1)</c>, times a jitter factor in
    /// <c>[1 - jitter, 1 + jitter]</c>, then capped at <paramref name="maxRetryInterval"/>.
    /// </summary>
    /// <param name="attemptNumber">The attempt that just failed, from 1; smaller values count as 1.</param>
    /// <param name="retryInterval">The delay after the first attempt; values under 1 ms count as 1 ms.</param>
    /// <param name="maxRetryInterval">The cap; values under 1 ms count as 1 ms.</param>
    /// <param name="jitter">The relative jitter, clamped to [0, 1]; 0.2 spreads delays by plus or minus 20%.</param>
    /// <param name="random01">A random number in [0, 1) that picks the jitter factor; 0.5 means no change.</param>
    /// <returns>A delay in [1 ms, cap]; never negative, zero or an exception, whatever the attempt number.</returns>
    public static TimeSpan GetDelay(int attemptNumber, TimeSpan retryInterval, TimeSpan maxRetryInterval, double jitter, double random01)
    {
        TimeSpan cap = maxRetryInterval > MinDelay ? maxRetryInterval : MinDelay;
        double baseTicks = Math.Max(retryInterval.Ticks, MinDelay.Ticks);

        int exponent = (int)Math.Clamp((long)attemptNumber - 1, 0, MaxExponent);
        double delayTicks = Math.Round(Math.ScaleB(baseTicks, exponent) * JitterFactor(jitter, random01));

        // Compare as doubles before converting: a product past long.MaxValue must not reach the cast.
        if (delayTicks >= cap.Ticks)
        {
            return cap;
        }

        return delayTicks <= MinDelay.Ticks ? MinDelay : TimeSpan.FromTicks((long)delayTicks);
    }

    private static double JitterFactor(double jitter, double random01)
    {
        double spread = double.IsNaN(jitter) ? 0 : Math.Clamp(jitter, 0, 1);
        double position = double.IsNaN(random01) ? 0.5 : Math.Clamp(random01, 0, 1);
        return 1 - spread + (2 * spread * position);
    }
}

namespace JobScheduler.Scheduling.Tests;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(3600);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(12, 2048)]
    [InlineData(13, 3600)]
    [InlineData(31, 3600)]
    [InlineData(32, 3600)]
    [InlineData(63, 3600)]
    [InlineData(64, 3600)]
    [InlineData(1000, 3600)]
    [InlineData(10_000, 3600)]
    [InlineData(int.MaxValue, 3600)]
    public void GetDelay_NoJitter_DoublesThenCaps(int attempt, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBackoff.GetDelay(attempt, Base, Cap, 0, 0.3));
    }

    [Fact]
    public void GetDelay_DefaultPolicy_ExactValues()
    {
        TimeSpan interval = TimeSpan.FromSeconds(300);
        TimeSpan cap = TimeSpan.FromHours(1);

        Assert.Equal(TimeSpan.FromSeconds(300), RetryBackoff.GetDelay(1, interval, cap, 0, 0));
        Assert.Equal(TimeSpan.FromSeconds(600), RetryBackoff.GetDelay(2, interval, cap, 0, 0));
        Assert.Equal(TimeSpan.FromSeconds(1200), RetryBackoff.GetDelay(3, interval, cap, 0, 0));
        Assert.Equal(TimeSpan.FromSeconds(2400), RetryBackoff.GetDelay(4, interval, cap, 0, 0));
        Assert.Equal(cap, RetryBackoff.GetDelay(5, interval, cap, 0, 0));
    }

    [Theory]
    [InlineData(0.0, 80)]
    [InlineData(0.5, 100)]
    [InlineData(0.75, 110)]
    public void GetDelay_Jitter_ScalesLinearly(double random01, int expectedSeconds)
    {
        TimeSpan delay = RetryBackoff.GetDelay(1, TimeSpan.FromSeconds(100), Cap, 0.2, random01);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public void GetDelay_JitterAppliedBeforeCap()
    {
        // 2048 s * 1.9 = 3891 s, above the cap, so the cap wins; 2048 s * 0.1 = 204.8 s stays below it.
        Assert.Equal(Cap, RetryBackoff.GetDelay(12, Base, Cap, 0.9, 0.99999));
        Assert.Equal(TimeSpan.FromSeconds(204.8), RetryBackoff.GetDelay(12, Base, Cap, 0.9, 0));
    }

    [Fact]
    public void GetDelay_RandomJitter_StaysInBounds()
    {
        var random = new Random(1234);
        int[] attempts = [1, 2, 12, 13, 31, 32, 63, 64, 1000, 10_000, int.MaxValue];
        foreach (int attempt in attempts)
        {
            for (int i = 0; i < 200; i++)
            {
                TimeSpan delay = RetryBackoff.GetDelay(attempt, Base, Cap, random.NextDouble(), random.NextDouble());
                Assert.InRange(delay, TimeSpan.FromTicks(1), Cap);
            }
        }
    }

    [Fact]
    public void GetDelay_FullJitterAtZero_ReturnsMinimum()
    {
        Assert.Equal(RetryBackoff.MinDelay, RetryBackoff.GetDelay(1, Base, Cap, 1, 0));
    }

    [Fact]
    public void GetDelay_NonPositiveInputs_ClampToMinimum()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1), RetryBackoff.GetDelay(1, TimeSpan.Zero, Cap, 0, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(1), RetryBackoff.GetDelay(1, TimeSpan.FromSeconds(-5), Cap, 0, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(1), RetryBackoff.GetDelay(5, Base, TimeSpan.Zero, 0, 0));
        Assert.Equal(Base, RetryBackoff.GetDelay(0, Base, Cap, 0, 0));
        Assert.Equal(Base, RetryBackoff.GetDelay(int.MinValue, Base, Cap, 0, 0));
    }

    [Fact]
    public void GetDelay_MaxTimeSpan_NoOverflow()
    {
        TimeSpan delay = RetryBackoff.GetDelay(int.MaxValue, TimeSpan.MaxValue, TimeSpan.MaxValue, 1, 0.999);

        Assert.Equal(TimeSpan.MaxValue, delay);
    }

    [Fact]
    public void GetDelay_NaNJitter_IsIgnored()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), RetryBackoff.GetDelay(3, Base, Cap, double.NaN, double.NaN));
    }
}

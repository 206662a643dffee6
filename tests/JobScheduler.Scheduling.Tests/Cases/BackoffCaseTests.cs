using System.Globalization;
using System.Text.Json;

namespace JobScheduler.Scheduling.Tests.Cases;

/// <summary>
/// The retry backoff case of scheduling-cases.json: base 1 s, factor 2, cap 3600 s, exact delays without jitter
/// and bounded delays with jitter, for attempt numbers up to int.MaxValue.
/// </summary>
public sealed class BackoffCaseTests
{
    public static TheoryData<int, int> Delays()
    {
        JsonElement delays = SchedulingCases.Case("BH-26").GetProperty("expected").GetProperty("delay_seconds");
        var data = new TheoryData<int, int>();
        foreach (JsonProperty delay in delays.EnumerateObject())
        {
            data.Add(int.Parse(delay.Name, CultureInfo.InvariantCulture), delay.Value.GetInt32());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Delays))]
    public void Backoff_Case_ExactDelay(int attempt, int expectedSeconds)
    {
        (TimeSpan interval, TimeSpan cap) = Policy();

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryBackoff.GetDelay(attempt, interval, cap, 0, 0.5));
    }

    [Theory]
    [MemberData(nameof(Delays))]
    public void Backoff_Case_JitterStaysInBounds(int attempt, int expectedSeconds)
    {
        (TimeSpan interval, TimeSpan cap) = Policy();
        _ = expectedSeconds;

        foreach (double random01 in new[] { 0.0, 0.25, 0.5, 0.999999 })
        {
            TimeSpan delay = RetryBackoff.GetDelay(attempt, interval, cap, 1.0, random01);
            Assert.True(delay > TimeSpan.Zero, $"attempt {attempt}: {delay}");
            Assert.True(delay <= cap, $"attempt {attempt}: {delay}");
        }
    }

    [Fact]
    public void Backoff_Case_CoversTenAttempts()
    {
        Assert.Equal(10, Delays().Count);
    }

    private static (TimeSpan Interval, TimeSpan Cap) Policy()
    {
        JsonElement input = SchedulingCases.Case("BH-26").GetProperty("input");
        return (
            TimeSpan.FromSeconds(input.GetProperty("base_seconds").GetInt32()),
            TimeSpan.FromSeconds(input.GetProperty("cap_seconds").GetInt32()));
    }
}

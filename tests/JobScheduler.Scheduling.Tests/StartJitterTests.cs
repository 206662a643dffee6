namespace JobScheduler.Scheduling.Tests;

public sealed class StartJitterTests
{
    private static readonly DateTimeOffset Instant = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Offset_IsZeroWithoutJitter()
    {
        Assert.Equal(TimeSpan.Zero, StartJitter.Offset("job_A", Instant, 0));
    }

    [Fact]
    public void Offset_IsDeterministicAndWithinWindow()
    {
        var offsets = Enumerable.Range(0, 500)
            .Select(i => StartJitter.Offset("job_" + i, Instant, 30))
            .ToList();

        Assert.All(offsets, o => Assert.InRange(o, TimeSpan.Zero, TimeSpan.FromMilliseconds(29_999)));
        Assert.Equal(offsets, Enumerable.Range(0, 500).Select(i => StartJitter.Offset("job_" + i, Instant, 30)).ToList());
        Assert.True(offsets.Distinct().Count() > 400, "Offsets should spread jobs over the window.");
        Assert.True(offsets.Max() - offsets.Min() > TimeSpan.FromSeconds(25), "Offsets should cover most of the window.");
    }

    [Fact]
    public void Offset_ChangesWithInstant()
    {
        var perInstant = Enumerable.Range(0, 50).Select(i => StartJitter.Offset("job_A", Instant.AddMinutes(i), 60)).Distinct().Count();

        Assert.True(perInstant > 40);
    }
}

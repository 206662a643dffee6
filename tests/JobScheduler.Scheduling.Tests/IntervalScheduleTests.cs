namespace JobScheduler.Scheduling.Tests;

public sealed class IntervalScheduleTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Next_BeforeAnchor_IsAnchor()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromMinutes(5), Anchor);

        Assert.Equal(Anchor, schedule.GetNextOccurrence(Anchor.AddDays(-3)));
    }

    [Fact]
    public void Next_BetweenOccurrences_IsNextMultiple()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromSeconds(90), Anchor);

        Assert.Equal(Anchor.AddSeconds(90), schedule.GetNextOccurrence(Anchor));
        Assert.Equal(Anchor.AddSeconds(180), schedule.GetNextOccurrence(Anchor.AddSeconds(90)));
        Assert.Equal(Anchor.AddSeconds(180), schedule.GetNextOccurrence(Anchor.AddSeconds(91)));
        Assert.Equal(Anchor.AddSeconds(90), schedule.GetNextOccurrence(Anchor.AddTicks(1)));
    }

    [Fact]
    public void Next_AcrossDstChange_KeepsElapsedInterval()
    {
        ScheduleParser.TryParse("RECURRING", "@every 1h", "Europe/Berlin", Anchor, out Schedule? schedule, out _);

        Assert.Equal(Anchor.AddHours(1), schedule!.GetNextOccurrence(Anchor));
        Assert.Equal(Anchor.AddHours(2), schedule.GetNextOccurrence(Anchor.AddHours(1)));
    }

    [Fact]
    public void Next_NearMaxValue_ReturnsNull()
    {
        var schedule = new IntervalSchedule(TimeSpan.FromDays(366), Anchor);

        Assert.Null(schedule.GetNextOccurrence(DateTimeOffset.MaxValue.AddDays(-1)));
    }

    [Fact]
    public void Constructor_NonPositiveInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntervalSchedule(TimeSpan.Zero, Anchor));
    }
}

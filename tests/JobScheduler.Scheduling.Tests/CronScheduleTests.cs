namespace JobScheduler.Scheduling.Tests;

public sealed class CronScheduleTests
{
    private static Schedule Parse(string expression, string zone)
    {
        DateTimeOffset anchor = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(ScheduleParser.TryParse("RECURRING", expression, zone, anchor, out Schedule? schedule, out ValidationError? error), error?.Message);
        return schedule;
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void Berlin_WinterNoon_IsElevenUtc()
    {
        Schedule schedule = Parse("0 12 * * *", "Europe/Berlin");

        Assert.Equal(Utc(2026, 1, 15, 11, 0), schedule.GetNextOccurrence(Utc(2026, 1, 15, 0, 0)));
    }

    [Fact]
    public void Berlin_SummerNoon_IsTenUtc()
    {
        Schedule schedule = Parse("0 12 * * *", "Europe/Berlin");

        Assert.Equal(Utc(2026, 7, 15, 10, 0), schedule.GetNextOccurrence(Utc(2026, 7, 15, 0, 0)));
    }

    [Fact]
    public void Next_AtExactOccurrence_IsStrictlyLater()
    {
        Schedule schedule = Parse("0 12 * * *", "Europe/Berlin");

        Assert.Equal(Utc(2026, 1, 16, 11, 0), schedule.GetNextOccurrence(Utc(2026, 1, 15, 11, 0)));
    }

    [Fact]
    public void Next_WithSubSecondInput_SkipsSameSecond()
    {
        Schedule schedule = Parse("* * * * * *", "UTC");
        DateTimeOffset after = Utc(2026, 1, 15, 11, 0).AddMilliseconds(500);

        Assert.Equal(Utc(2026, 1, 15, 11, 0, 1), schedule.GetNextOccurrence(after));
    }

    [Fact]
    public void Next_IsReturnedInUtc()
    {
        Schedule schedule = Parse("0 12 * * *", "Europe/Berlin");
        DateTimeOffset after = new(2026, 1, 15, 0, 0, 0, TimeSpan.FromHours(5));

        DateTimeOffset? next = schedule.GetNextOccurrence(after);

        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
        Assert.Equal(Utc(2026, 1, 15, 11, 0), next);
    }

    [Fact]
    public void Berlin_SpringForward_RunsAtGapEnd()
    {
        Schedule schedule = Parse("30 2 * * *", "Europe/Berlin");

        Assert.Equal(Utc(2026, 3, 29, 1, 0), schedule.GetNextOccurrence(Utc(2026, 3, 28, 12, 0)));
        Assert.Equal(Utc(2026, 3, 30, 0, 30), schedule.GetNextOccurrence(Utc(2026, 3, 29, 1, 0)));
    }

    [Fact]
    public void Berlin_FallBack_FixedTimeRunsOnce()
    {
        Schedule schedule = Parse("30 2 * * *", "Europe/Berlin");

        Assert.Equal(Utc(2026, 10, 25, 0, 30), schedule.GetNextOccurrence(Utc(2026, 10, 24, 12, 0)));
        Assert.Equal(Utc(2026, 10, 26, 1, 30), schedule.GetNextOccurrence(Utc(2026, 10, 25, 0, 30)));
    }

    [Fact]
    public void Berlin_FallBack_HourlyRunsOnBothPasses()
    {
        Schedule schedule = Parse("30 * * * *", "Europe/Berlin");

        Assert.Equal(Utc(2026, 10, 25, 1, 30), schedule.GetNextOccurrence(Utc(2026, 10, 25, 0, 30)));
    }
}

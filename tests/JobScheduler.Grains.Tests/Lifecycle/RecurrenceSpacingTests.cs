using JobScheduler.Grains.Jobs;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Tests.Lifecycle;

/// <summary>The minimum-interval check of recurring schedules.</summary>
public sealed class RecurrenceSpacingTests
{
    [Theory]
    [InlineData("* * * * * *", 60, 1)]
    [InlineData("*/5 * * * * *", 60, 5)]
    [InlineData("* * * * *", 300, 60)]
    [InlineData("0 0,1 0 1 1 *", 300, 60)]
    [InlineData("@every 30s", 60, 30)]
    [InlineData("0 0 23,0 * * *", 7200, 3600)]
    public void FrequentSchedule_ReturnsShortestGap(string expression, int minimumSeconds, int expectedGapSeconds)
    {
        var gap = RecurrenceSpacing.FindGapBelow(Parse(expression), TimeSpan.FromSeconds(minimumSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedGapSeconds), gap);
    }

    [Theory]
    [InlineData("* * * * * *", 1)]
    [InlineData("@every 1s", 1)]
    [InlineData("*/5 * * * *", 300)]
    [InlineData("0 9 * * MON-FRI", 3600)]
    [InlineData("@every 2h", 3600)]
    [InlineData("@daily", 86400)]
    public void InfrequentSchedule_ReturnsNull(string expression, int minimumSeconds)
    {
        Assert.Null(RecurrenceSpacing.FindGapBelow(Parse(expression), TimeSpan.FromSeconds(minimumSeconds)));
    }

    private static Schedule Parse(string expression)
    {
        Assert.True(ScheduleParser.TryParse(ScheduleParser.RecurringType, expression, "UTC", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), out var schedule, out var error), error?.Message);
        return schedule;
    }
}

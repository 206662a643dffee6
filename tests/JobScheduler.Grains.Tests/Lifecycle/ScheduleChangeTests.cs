using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Jobs;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Tests.Lifecycle;

/// <summary>The next instant after a schedule change or a resume, with the exact values of the scheduling cases.</summary>
public sealed class ScheduleChangeTests
{
    [Fact]
    public void ChangedDailyTime_RunsTomorrowNotToday()
    {
        // A daily 01:00 job last ran 2016-11-14T01:00Z and moves to 02:00 at 15:00 the same day.
        var definition = Recurring("0 2 * * *");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2016-11-14T15:00:00Z"), At("2016-11-14T01:00:00Z"));

        Assert.Equal(At("2016-11-15T02:00:00Z"), next);
    }

    [Fact]
    public void ChangedToEveryMinute_RunsAtNextMinute()
    {
        // Switching to '* * * * *' at 10:00:30 runs at 10:01:00.
        var definition = Recurring("* * * * *");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2023-08-01T10:00:30Z"), null);

        Assert.Equal(At("2023-08-01T10:01:00Z"), next);
    }

    [Fact]
    public void Resume_SkipsInstantsMissedWhilePaused()
    {
        // '*/5 * * * * *' paused at 12:00:02 and resumed at 12:00:22 runs next at 12:00:25.
        var definition = Recurring("*/5 * * * * *");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T12:00:22Z"), At("2024-01-01T12:00:00Z"));

        Assert.Equal(At("2024-01-01T12:00:25Z"), next);
    }

    [Fact]
    public void LastScheduledLaterThanNow_IsNotRepeated()
    {
        // A fire seen from a clock slightly ahead: the next instant must still be after it.
        var definition = Recurring("*/10 * * * * *");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T12:00:09.900Z"), At("2024-01-01T12:00:10Z"));

        Assert.Equal(At("2024-01-01T12:00:20Z"), next);
    }

    [Fact]
    public void FutureStartAt_IsFirstInstant()
    {
        var definition = Recurring("0 * * * *") with { StartAt = At("2024-03-01T05:00:00Z") };

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T12:00:00Z"), null);

        Assert.Equal(At("2024-03-01T05:00:00Z"), next);
    }

    [Fact]
    public void PastEndAt_HasNoInstant()
    {
        var definition = Recurring("0 * * * *") with { EndAt = At("2024-01-01T12:30:00Z") };

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T12:00:01Z"), null);

        Assert.Null(next);
    }

    [Fact]
    public void OneTimeInFuture_IsItsInstant()
    {
        var definition = OneTime("2024-01-02T00:00:00Z");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T12:00:00Z"), null);

        Assert.Equal(At("2024-01-02T00:00:00Z"), next);
    }

    [Fact]
    public void OneTimeAlreadyFired_HasNoInstant()
    {
        var definition = OneTime("2024-01-01T11:00:00Z");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T10:59:59Z"), At("2024-01-01T11:00:00Z"));

        Assert.Null(next);
    }

    [Fact]
    public void OneTimeInPast_HasNoInstant()
    {
        var definition = OneTime("2024-01-01T11:59:59Z");

        var next = ScheduleChange.NextInstant(definition, Parse(definition), At("2024-01-01T12:00:00Z"), null);

        Assert.Null(next);
    }

    private static JobDefinition Recurring(string expression) => new()
    {
        Type = JobType.Recurring,
        ScheduleExpression = expression,
        TimeZone = "UTC",
    };

    private static JobDefinition OneTime(string instant) => new()
    {
        Type = JobType.OneTime,
        ScheduleExpression = instant,
    };

    private static Schedule Parse(JobDefinition definition)
    {
        var type = definition.Type == JobType.OneTime ? ScheduleParser.OneTimeType : ScheduleParser.RecurringType;
        Assert.True(ScheduleParser.TryParse(type, definition.ScheduleExpression, definition.TimeZone, At("2020-01-01T00:00:00Z"), out var schedule, out var error), error?.Message);
        return schedule;
    }

    private static DateTimeOffset At(string instant) =>
        DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
}

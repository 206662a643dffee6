namespace JobScheduler.Scheduling.Tests;

public sealed class ScheduleParserTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 * * ? * *")]
    [InlineData("0 0 ? * MON-FRI")]
    [InlineData("0 0 L * MON")]
    [InlineData("0 0 * * 0-7")]
    [InlineData("0 0 29 2 *")]
    [InlineData("@yearly")]
    [InlineData("@annually")]
    [InlineData("@monthly")]
    [InlineData("@weekly")]
    [InlineData("@daily")]
    [InlineData("@midnight")]
    [InlineData("@hourly")]
    [InlineData("@every 5m")]
    public void Recurring_ValidExpression_IsAccepted(string expression)
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", expression, "UTC", Anchor, out Schedule? schedule, out ValidationError? error);

        Assert.True(parsed, error?.Message);
        Assert.True(schedule!.IsRecurring);
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("* * * * 8")]
    [InlineData("0 17 * * MON_FRI")]
    [InlineData("0 0 * * 3#8")]
    [InlineData("*/0 * * * *")]
    [InlineData("0 0 1W,15W * *")]
    [InlineData("0 0 * * 1#1,3#3")]
    [InlineData("0 1/120 * * *")]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    [InlineData("@every")]
    [InlineData("@every 0s")]
    [InlineData("@every 5x")]
    [InlineData("@sometimes")]
    public void Recurring_InvalidExpression_NamesScheduleExpression(string expression)
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", expression, "UTC", Anchor, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Equal("scheduleExpression", error!.Field);
        Assert.DoesNotContain('\0', error.Message);
        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("2030-01-01T00:00:00+15:00")]
    public void OneTime_OutOfRangeInstant_NamesScheduleExpression(string expression)
    {
        bool parsed = ScheduleParser.TryParse("ONE_TIME", expression, "UTC", Anchor, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Equal("scheduleExpression", error!.Field);
        Assert.Equal(
            $"The one-time schedule '{expression}' is out of range; use an offset within ±14:00 and an instant from year 1 to 9999 in UTC.",
            error.Message);
    }

    [Fact]
    public void OneTime_LatestInstant_IsAccepted()
    {
        bool parsed = ScheduleParser.TryParse("ONE_TIME", "9999-12-31T23:59:59+14:00", "UTC", Anchor, out var schedule, out _);

        Assert.True(parsed);
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 9, 59, 59, TimeSpan.Zero), ((OneTimeSchedule)schedule!).Instant);
    }

    [Fact]
    public void Recurring_SevenFields_RejectedAsQuartzYear()
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", "0 0 12 * * ? 2025", "UTC", Anchor, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Equal("scheduleExpression", error!.Field);
        Assert.Contains("Quartz year fields are not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recurring_FourFields_SaysFieldCount()
    {
        ScheduleParser.TryParse("RECURRING", "* * * *", "UTC", Anchor, out _, out ValidationError? error);

        Assert.Contains("has 4 fields", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 4 *")]
    public void Recurring_ImpossibleDate_NamesDayOfMonth(string expression)
    {
        ScheduleParser.TryParse("RECURRING", expression, "Europe/Berlin", Anchor, out _, out ValidationError? error);

        Assert.Contains("never", error!.Message, StringComparison.Ordinal);
        Assert.Contains("day-of-month", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recurring_FiveFields_StartWithMinutes()
    {
        ScheduleParser.TryParse("RECURRING", "15 10 * * *", "UTC", Anchor, out Schedule? schedule, out _);

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 15, 0, TimeSpan.Zero), schedule!.GetNextOccurrence(Anchor));
    }

    [Fact]
    public void Recurring_SixFields_StartWithSeconds()
    {
        ScheduleParser.TryParse("RECURRING", "15 10 * * * *", "UTC", Anchor, out Schedule? schedule, out _);

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 10, 15, TimeSpan.Zero), schedule!.GetNextOccurrence(Anchor));
    }

    [Theory]
    [InlineData("@yearly", "2027-01-01T00:00:00Z")]
    [InlineData("@annually", "2027-01-01T00:00:00Z")]
    [InlineData("@monthly", "2026-02-01T00:00:00Z")]
    [InlineData("@weekly", "2026-01-04T00:00:00Z")]
    [InlineData("@daily", "2026-01-02T00:00:00Z")]
    [InlineData("@midnight", "2026-01-02T00:00:00Z")]
    [InlineData("@hourly", "2026-01-01T01:00:00Z")]
    [InlineData("@HOURLY", "2026-01-01T01:00:00Z")]
    public void Recurring_Macro_ExpandsToCron(string macro, string expected)
    {
        ScheduleParser.TryParse("RECURRING", macro, null, Anchor, out Schedule? schedule, out _);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule!.GetNextOccurrence(Anchor));
    }

    [Theory]
    [InlineData("@every 90s", 90)]
    [InlineData("@every 5m", 300)]
    [InlineData("@every 2h30m", 9000)]
    [InlineData("@every 1h", 3600)]
    [InlineData("@every 1h0m5s", 3605)]
    public void Recurring_Every_IsAnchoredInterval(string expression, int seconds)
    {
        ScheduleParser.TryParse("RECURRING", expression, "Europe/Berlin", Anchor, out Schedule? schedule, out _);

        Assert.IsType<IntervalSchedule>(schedule);
        Assert.Equal(Anchor.AddSeconds(seconds), schedule.GetNextOccurrence(Anchor));
        Assert.Equal(Anchor.AddSeconds(2 * seconds), schedule.GetNextOccurrence(Anchor.AddSeconds(seconds)));
    }

    [Theory]
    [InlineData("@every 30m2h")]
    [InlineData("@every 5m5m")]
    [InlineData("@every 367d")]
    [InlineData("@every 9000h")]
    [InlineData("@every -5m")]
    [InlineData("@every5m")]
    public void Recurring_BadEvery_IsRejected(string expression)
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", expression, "UTC", Anchor, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Equal("scheduleExpression", error!.Field);
        Assert.Contains("@every 90s", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-04T10:00:00Z", "2026-12-04T10:00:00.0000000+00:00")]
    [InlineData("2026-12-04T10:00:00.123+01:00", "2026-12-04T09:00:00.1230000+00:00")]
    public void OneTime_IsoInstant_IsParsed(string expression, string expectedUtc)
    {
        bool parsed = ScheduleParser.TryParse("ONE_TIME", expression, null, Anchor, out Schedule? schedule, out _);

        Assert.True(parsed);
        Assert.False(schedule!.IsRecurring);
        DateTimeOffset expected = DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, schedule.GetNextOccurrence(Anchor));
        Assert.Null(schedule.GetNextOccurrence(expected));
    }

    [Theory]
    [InlineData("2026-12-04T10:00:00")]
    [InlineData("2026-12-04")]
    [InlineData("tomorrow")]
    [InlineData("2026-02-30T10:00:00Z")]
    public void OneTime_NotAnInstant_IsRejected(string expression)
    {
        bool parsed = ScheduleParser.TryParse("ONE_TIME", expression, null, Anchor, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Equal("scheduleExpression", error!.Field);
        Assert.Contains("2026-12-04T10:00:00Z", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Expression_Missing_IsRejected(string? expression)
    {
        ScheduleParser.TryParse("RECURRING", expression, null, Anchor, out _, out ValidationError? error);

        Assert.Equal("scheduleExpression", error!.Field);
    }

    [Fact]
    public void Type_Unknown_NamesTypeField()
    {
        ScheduleParser.TryParse("SOMETIMES", "* * * * *", null, Anchor, out _, out ValidationError? error);

        Assert.Equal("type", error!.Field);
        Assert.Contains("ONE_TIME", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("CET+1")]
    public void TimeZone_Unknown_NamesTimeZoneField(string zone)
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", "* * * * *", zone, Anchor, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Equal("timeZone", error!.Field);
        Assert.Contains(zone, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("W. Europe Standard Time")]
    [InlineData("europe/berlin")]
    [InlineData("Europe/Berlin")]
    public void TimeZone_WindowsOrCaseVariant_ResolvesToBerlin(string zone)
    {
        ScheduleParser.TryParse("RECURRING", "0 12 * * *", zone, Anchor, out Schedule? schedule, out _);

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero), schedule!.GetNextOccurrence(Anchor));
    }
}

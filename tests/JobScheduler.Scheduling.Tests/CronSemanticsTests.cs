namespace JobScheduler.Scheduling.Tests;

/// <summary>
/// Field semantics of cron expressions in UTC: day rules, special characters, names and steps.
/// </summary>
public sealed class CronSemanticsTests
{
    private static List<DateTimeOffset> Next(string expression, string from, int count, string zone = "UTC")
    {
        DateTimeOffset cursor = Utc(from);
        Assert.True(ScheduleParser.TryParse("RECURRING", expression, zone, cursor, out Schedule? schedule, out ValidationError? error), error?.Message);
        var results = new List<DateTimeOffset>();
        for (int i = 0; i < count; i++)
        {
            cursor = schedule.GetNextOccurrence(cursor)!.Value;
            results.Add(cursor);
        }

        return results;
    }

    private static DateTimeOffset Utc(string text) => Cases.SchedulingCases.ParseInstant(text);

    private static List<DateTimeOffset> Utc(params string[] texts) => texts.Select(Utc).ToList();

    [Fact]
    public void DayFields_BothRestricted_MatchEither()
    {
        // The 15th of the month or any Friday.
        Assert.Equal(
            Utc("2024-05-03T00:00:00Z", "2024-05-10T00:00:00Z", "2024-05-15T00:00:00Z", "2024-05-17T00:00:00Z"),
            Next("0 0 15 * FRI", "2024-05-01T00:00:00Z", 4));
    }

    [Fact]
    public void DayFields_StarStep_UsesAnd()
    {
        // Days 1, 11, 21, 31 that are also Mondays to Fridays.
        Assert.Equal(
            Utc("2024-05-01T00:00:00Z", "2024-05-21T00:00:00Z", "2024-05-31T00:00:00Z", "2024-06-11T00:00:00Z"),
            Next("0 0 */10 * 1-5", "2024-04-30T00:00:00Z", 4));
    }

    [Fact]
    public void DayFields_QuestionMark_IsUnrestricted()
    {
        Assert.Equal(
            Utc("2024-05-06T00:00:00Z", "2024-05-13T00:00:00Z"),
            Next("0 0 ? * MON", "2024-05-01T00:00:00Z", 2));
    }

    [Fact]
    public void DayOfMonth_LastWithOffsetAndWeekday()
    {
        // August 2024 ends on Saturday the 31st: L-1 is Friday the 30th and LW is Friday the 30th.
        Assert.Equal(Utc("2024-08-30T00:00:00Z"), Next("0 0 L-1 * *", "2024-08-01T00:00:00Z", 1)[0]);
        Assert.Equal(Utc("2024-08-30T00:00:00Z"), Next("0 0 LW * *", "2024-08-01T00:00:00Z", 1)[0]);
        Assert.Equal(Utc("2024-03-29T00:00:00Z"), Next("0 0 LW * *", "2024-03-01T00:00:00Z", 1)[0]);
    }

    [Theory]
    [InlineData("0 0 15W * *", "2024-06-01T00:00:00Z", "2024-06-14T00:00:00Z")] // the 15th is a Saturday
    [InlineData("0 0 16W * *", "2024-06-01T00:00:00Z", "2024-06-17T00:00:00Z")] // the 16th is a Sunday
    [InlineData("0 0 1W * *", "2024-05-31T00:00:00Z", "2024-06-03T00:00:00Z")] // the 1st is a Saturday: Monday the 3rd
    [InlineData("0 0 30W * *", "2024-06-01T00:00:00Z", "2024-06-28T00:00:00Z")] // the 30th is the last day and a Sunday
    [InlineData("0 0 3W * *", "2024-07-01T00:00:00Z", "2024-07-03T00:00:00Z")] // a Wednesday stays
    public void DayOfMonth_NearestWeekday_StaysInMonth(string expression, string from, string expected)
    {
        Assert.Equal(Utc(expected), Next(expression, from, 1)[0]);
    }

    [Fact]
    public void NearestWeekday_MissingDay_SkipsMonth()
    {
        Assert.Equal(
            Utc("2024-01-31T00:00:00Z", "2024-03-29T00:00:00Z", "2024-05-31T00:00:00Z"),
            Next("0 0 31W * *", "2024-01-01T00:00:00Z", 3));
    }

    [Theory]
    [InlineData("0 0 * * 5#3", "2024-05-17T00:00:00Z")]
    [InlineData("0 0 * * FRI#3", "2024-05-17T00:00:00Z")]
    [InlineData("0 0 * * 5L", "2024-05-31T00:00:00Z")]
    [InlineData("0 0 * * 1#5", "2024-07-29T00:00:00Z")]
    [InlineData("0 0 * * 0#1", "2024-05-05T00:00:00Z")]
    [InlineData("0 0 * * 7#1", "2024-05-05T00:00:00Z")]
    public void DayOfWeek_NthAndLast(string expression, string expected)
    {
        Assert.Equal(Utc(expected), Next(expression, "2024-05-01T00:00:00Z", 1)[0]);
    }

    [Fact]
    public void Names_AreCaseInsensitive()
    {
        Assert.Equal(
            Utc("2024-06-03T09:00:00Z", "2024-06-07T09:00:00Z"),
            Next("0 9 * jun-Aug mon,FRI", "2024-05-01T00:00:00Z", 2));
    }

    [Fact]
    public void Steps_RestartEachHour()
    {
        Assert.Equal(
            Utc("2024-05-01T00:40:00Z", "2024-05-01T01:00:00Z", "2024-05-01T01:40:00Z"),
            Next("*/40 * * * *", "2024-05-01T00:00:00Z", 3));
    }

    [Fact]
    public void Steps_FromValueRunToFieldEnd()
    {
        Assert.Equal(
            Utc("2024-05-01T10:00:00Z", "2024-05-01T17:00:00Z", "2024-05-02T03:00:00Z"),
            Next("0 3/7 * * *", "2024-05-01T04:00:00Z", 3));
    }

    [Fact]
    public void Seconds_SixFields_FireEachMatchingSecond()
    {
        Assert.Equal(
            Utc("2024-01-01T12:00:25Z", "2024-01-01T12:00:30Z"),
            Next("*/5 * * * * *", "2024-01-01T12:00:22Z", 2));
    }

    [Fact]
    public void LeapDay_OnlyInLeapYears()
    {
        Assert.Equal(
            Utc("2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z"),
            Next("0 0 29 2 *", "2095-01-01T00:00:00Z", 2));
    }

    [Fact]
    public void Next_NearEndOfCalendar_ReturnsNull()
    {
        ScheduleParser.TryParse("RECURRING", "0 0 1 1 *", "UTC", DateTimeOffset.UnixEpoch, out Schedule? schedule, out _);

        Assert.Null(schedule!.GetNextOccurrence(Utc("9998-06-01T00:00:00Z")));
        Assert.Null(schedule.GetNextOccurrence(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("UTC", "0001-01-01T09:00:00Z")]
    [InlineData("America/New_York", "0001-01-01T13:56:02Z")]
    [InlineData("Asia/Tokyo", "0001-01-01T23:41:01Z")] // local mean time +09:18:59, so 09:00 on 1 January is still in year 0
    public void Next_FromMinValue_ReturnsFirstYearMatch(string zone, string expected)
    {
        ScheduleParser.TryParse("RECURRING", "0 9 * * *", zone, DateTimeOffset.UnixEpoch, out Schedule? schedule, out _);

        Assert.Equal(Utc(expected), schedule!.GetNextOccurrence(DateTimeOffset.MinValue));
    }

    [Theory]
    [InlineData("0 0 LW * */6", "no date matches")]
    [InlineData("0 0 31 2,4,6 *", "February, April, June")]
    [InlineData("0 0 L-30 2 *", "no date matches")]
    [InlineData("0 0 30W 2 *", "no date matches")]
    public void NeverFiring_IsRejected(string expression, string mention)
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", expression, "UTC", DateTimeOffset.UnixEpoch, out _, out ValidationError? error);

        Assert.False(parsed);
        Assert.Contains("can never fire", error!.Message, StringComparison.Ordinal);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImpossibleDay_StarDayOfWeek_Rejected()
    {
        // "*,SUN" starts with '*', so the POSIX OR rule does not apply and 31 April still never occurs.
        Assert.False(ScheduleParser.TryParse("RECURRING", "0 0 31 4 *,SUN", "UTC", DateTimeOffset.UnixEpoch, out _, out _));
    }

    [Theory]
    [InlineData("0 0 30 2 MON")]
    [InlineData("0 0 31 4 0-6")]
    public void ImpossibleDay_WithDayOfWeekAlternative_IsAccepted(string expression)
    {
        Assert.True(ScheduleParser.TryParse("RECURRING", expression, "UTC", DateTimeOffset.UnixEpoch, out _, out ValidationError? error), error?.Message);
    }

    [Theory]
    [InlineData("0 22-2 * * *", "hour range '22-2' runs backwards", "22-23,0-2")]
    [InlineData("0 0 * 13 *", "month value 13 is out of range", "1-12 or JAN-DEC")]
    [InlineData("0 0 * JANUARY *", "month value 'JANUARY' is not a number or name", "1-12 or JAN-DEC")]
    [InlineData("0 0 32 * *", "day-of-month value 32 is out of range", "1-31")]
    [InlineData("0 0 L-31 * *", "day-of-month field 'L-31' is invalid", "0 to 30")]
    [InlineData("0 0 * * 5L,1", "day-of-week field '5L,1'", "'5L'")]
    [InlineData("0 0 * * L5", "day-of-week field 'L5' is invalid", "'5L'")]
    [InlineData("0 0,,1 * * *", "hour field has an empty list item", "comma")]
    [InlineData("60 * * * * *", "second value 60 is out of range", "0-59")]
    [InlineData("*/61 * * * * *", "second step '61' is invalid", "1 to 59")]
    [InlineData("0 0 */32 * *", "day-of-month step '32' is invalid", "1 to 31")]
    [InlineData("0 0 1-2W * *", "day-of-month value '1-2' is not a number", "1-31")]
    public void Invalid_MessageNamesFieldAndFix(string expression, string problem, string fix)
    {
        ScheduleParser.TryParse("RECURRING", expression, "UTC", DateTimeOffset.UnixEpoch, out _, out ValidationError? error);

        Assert.Equal("scheduleExpression", error!.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Macro_Unknown_ListsSupportedMacros()
    {
        ScheduleParser.TryParse("RECURRING", "@fortnightly", "UTC", DateTimeOffset.UnixEpoch, out _, out ValidationError? error);

        Assert.Contains("@daily", error!.Message, StringComparison.Ordinal);
        Assert.Contains("@every", error.Message, StringComparison.Ordinal);
    }
}

namespace JobScheduler.Scheduling.Tests;

/// <summary>
/// Next occurrences across UTC offset changes in zones with unusual rules, with the zone rules of the embedded
/// tz database rather than the host's.
/// </summary>
public sealed class ZoneTransitionTests
{
    private static List<DateTimeOffset> Next(string expression, string zone, string from, int count)
    {
        DateTimeOffset cursor = Utc(from);
        Assert.True(ScheduleParser.TryParse("RECURRING", expression, zone, cursor, out Schedule? schedule, out ValidationError? error), error?.Message);
        var results = new List<DateTimeOffset>();
        for (int i = 0; i < count; i++)
        {
            DateTimeOffset next = schedule.GetNextOccurrence(cursor)!.Value;
            Assert.True(next > cursor);
            results.Add(next);
            cursor = next;
        }

        return results;
    }

    private static DateTimeOffset Utc(string text) => Cases.SchedulingCases.ParseInstant(text);

    private static List<DateTimeOffset> Utc(params string[] texts) => texts.Select(Utc).ToList();

    [Fact]
    public void LordHowe_HalfHourGap_RunsAtGapEnd()
    {
        // Australia/Lord_Howe moves from +10:30 to +11:00 at 02:00 local on 2024-10-06 (15:30Z): 02:00-02:29
        // do not exist, so 02:15 runs at 15:30Z.
        Assert.Equal(
            Utc("2024-10-05T15:30:00Z", "2024-10-06T15:15:00Z"),
            Next("15 2 * * *", "Australia/Lord_Howe", "2024-10-05T12:00:00Z", 2));
    }

    [Fact]
    public void LordHowe_HalfHourOverlap_IntervalRunsTwice()
    {
        // On 2024-04-07 local 01:30-01:59 repeats: at +11:00 (14:30-14:59Z), then at +10:30 (15:00-15:29Z).
        Assert.Equal(
            Utc("2024-04-06T14:30:00Z", "2024-04-06T14:45:00Z", "2024-04-06T15:00:00Z", "2024-04-06T15:15:00Z", "2024-04-07T14:30:00Z"),
            Next("*/15 1 * * *", "Australia/Lord_Howe", "2024-04-06T14:15:00Z", 5));
    }

    [Fact]
    public void Samoa_SkippedDay_RunsOnceAtGapEnd()
    {
        // Pacific/Apia skipped 2011-12-30 entirely: 29 December 23:59:59 (-10:00) was followed by 31 December
        // 00:00 (+14:00) at 10:00Z. Noon of the skipped day runs then, and noon of the 31st as usual.
        Assert.Equal(
            Utc("2011-12-29T22:00:00Z", "2011-12-30T10:00:00Z", "2011-12-30T22:00:00Z"),
            Next("0 12 * * *", "Pacific/Apia", "2011-12-29T12:00:00Z", 3));
    }

    [Fact]
    public void Samoa_SkippedDayOnlyTime_RunsAtGapEnd()
    {
        Assert.Equal(
            Utc("2011-12-30T10:00:00Z", "2012-12-29T22:00:00Z"),
            Next("0 12 30 12 *", "Pacific/Apia", "2011-06-01T00:00:00Z", 2));
    }

    [Fact]
    public void Dublin_NegativeDst_SpringAndAutumn()
    {
        Assert.Equal(
            Utc("2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"),
            Next("30 1 * * *", "Europe/Dublin", "2025-03-29T12:00:00Z", 2));
        Assert.Equal(
            Utc("2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"),
            Next("30 1 * * *", "Europe/Dublin", "2025-10-25T12:00:00Z", 2));
    }

    [Fact]
    public void Troll_TwoHourChange_RunsAtGapEnd()
    {
        // Antarctica/Troll switches between +00 and +02 at 01:00 UTC. On 2024-03-31 local 01:00-02:59 do not exist.
        Assert.Equal(
            Utc("2024-03-31T01:00:00Z", "2024-04-01T00:30:00Z"),
            Next("30 2 * * *", "Antarctica/Troll", "2024-03-30T12:00:00Z", 2));
    }

    [Fact]
    public void Gap_SeveralTimesInside_CollapseIntoOneRun()
    {
        Assert.Equal(
            Utc("2024-03-31T00:45:00Z", "2024-03-31T01:00:00Z", "2024-03-31T01:15:00Z"),
            Next("*/15 1-3 * * *", "Europe/Berlin", "2024-03-31T00:30:00Z", 3));
    }

    [Fact]
    public void Overlap_AskedFromSecondPass_MovesForward()
    {
        // Berlin 2024-10-27: local 02:00-02:59 occurs at 00:00-00:59Z and again at 01:00-01:59Z.
        Assert.Equal(Utc("2024-10-28T01:30:00Z"), Next("30 2 * * *", "Europe/Berlin", "2024-10-27T01:10:00Z", 1)[0]);
        Assert.Equal(Utc("2024-10-27T01:30:00Z"), Next("30 2 * * *", "Europe/Berlin", "2024-10-27T00:10:00Z", 1)[0].AddHours(1));
        Assert.Equal(Utc("2024-10-27T01:30:00Z"), Next("30 * * * *", "Europe/Berlin", "2024-10-27T01:10:00Z", 1)[0]);
    }

    [Fact]
    public void Overlap_SixFieldFixedTime_RunsOnce()
    {
        Assert.Equal(
            Utc("2024-10-27T00:30:15Z", "2024-10-28T01:30:15Z"),
            Next("15 30 2 * * *", "Europe/Berlin", "2024-10-26T12:00:00Z", 2));
    }

    [Fact]
    public void TzdbVersion_IsReported()
    {
        Assert.Matches(@"^\d{4}[a-z]$", TimeZoneSource.TzdbVersion);
    }

    [Theory]
    [InlineData("Romance Standard Time", "Europe/Paris")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    [InlineData("UTC", "UTC")]
    [InlineData(null, "UTC")]
    [InlineData("  ", "UTC")]
    [InlineData("asia/tokyo", "Asia/Tokyo")]
    public void TimeZoneSource_ResolvesIds(string? id, string expected)
    {
        Assert.True(TimeZoneSource.TryGetZone(id, out NodaTime.DateTimeZone? zone));
        Assert.Equal(expected, zone.Id);
    }

    [Fact]
    public void CronSchedule_ExposesZoneAndExpression()
    {
        ScheduleParser.TryParse("RECURRING", "@daily", "Romance Standard Time", DateTimeOffset.UnixEpoch, out Schedule? schedule, out _);

        var cron = Assert.IsType<CronSchedule>(schedule);
        Assert.Equal("Europe/Paris", cron.ZoneId);
        Assert.Equal("0 0 * * *", cron.Expression);
    }
}

namespace JobScheduler.Scheduling.Tests.Cases;

/// <summary>
/// Every <c>cron-next</c> query of scheduling-cases.json, checked for the exact instants. An inclusive lookup
/// starts one second before <c>from</c>, because the schedule API is exclusive.
/// </summary>
public sealed class CronNextCaseTests
{
    private static readonly TimeSpan InclusiveShift = TimeSpan.FromSeconds(1);

    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        foreach (SchedulingCases.CronQuery query in SchedulingCases.CronQueries())
        {
            data.Add(query.CaseId, query.Query);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void CronNext_Case_ReturnsExpectedInstants(string caseId, string queryId)
    {
        SchedulingCases.CronQuery query = SchedulingCases.CronQueries().Single(q => q.CaseId == caseId && q.Query == queryId);
        Assert.Equal(query.Format == "6-field" ? 6 : 5, query.Expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

        bool parsed = ScheduleParser.TryParse("RECURRING", query.Expression, query.Zone, query.From, out Schedule? schedule, out ValidationError? error);
        if (query.Expected is null)
        {
            Assert.False(parsed);
            Assert.Equal("scheduleExpression", error!.Field);
            Assert.Contains("day-of-month", error.Message, StringComparison.Ordinal);
            return;
        }

        Assert.True(parsed, error?.Message);
        Assert.Equal(query.Expected, Occurrences(schedule!, query));
    }

    [Fact]
    public void CronNext_CasesFile_HasEveryQuery()
    {
        Assert.Equal(27, SchedulingCases.CronQueries().Count());
    }

    private static List<DateTimeOffset> Occurrences(Schedule schedule, SchedulingCases.CronQuery query)
    {
        var results = new List<DateTimeOffset>();
        DateTimeOffset cursor = query.Inclusive ? query.From - InclusiveShift : query.From;
        while (query.To is { } to ? results.Count < 1000 : results.Count < query.Count)
        {
            DateTimeOffset? next = schedule.GetNextOccurrence(cursor);
            Assert.NotNull(next);
            Assert.True(next > cursor, $"{next:O} is not later than {cursor:O}.");
            if (query.To is { } end && next >= end)
            {
                break;
            }

            results.Add(next.Value);
            cursor = next.Value;
        }

        return results;
    }
}

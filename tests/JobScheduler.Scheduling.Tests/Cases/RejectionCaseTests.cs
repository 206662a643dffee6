using System.Text.Json;

namespace JobScheduler.Scheduling.Tests.Cases;

/// <summary>
/// The accepted and rejected cron expressions of scheduling-cases.json: rejections name scheduleExpression and
/// the offending cron field in a message free of control characters.
/// </summary>
public sealed class RejectionCaseTests
{
    private static readonly DateTimeOffset Anchor = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The cron field (or fact) each rejection message must name, by query id.
    private static readonly Dictionary<string, string> ExpectedMention = new()
    {
        ["P01"] = "4 fields",
        ["P03"] = "minute",
        ["P04"] = "day-of-week",
        ["P05"] = "Quartz year fields are not supported",
        ["P07"] = "day-of-week",
        ["P08"] = "day-of-week",
        ["P10"] = "day-of-month",
        ["P11"] = "minute",
        ["P12"] = "day-of-month",
        ["P13"] = "day-of-week",
        ["P14"] = "hour",
    };

    public static TheoryData<string, string, string> Expressions()
    {
        var data = new TheoryData<string, string, string>();
        JsonElement perExpression = SchedulingCases.Case("BH-21").GetProperty("expected").GetProperty("per_expression");
        foreach (JsonElement row in perExpression.EnumerateArray())
        {
            data.Add(
                row.GetProperty("query").GetString()!,
                row.GetProperty("input").GetProperty("expr").GetString()!,
                row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Expression_Case_AcceptedOrRejected(string query, string expression, string expected)
    {
        bool parsed = ScheduleParser.TryParse("RECURRING", expression, "UTC", Anchor, out Schedule? schedule, out ValidationError? error);

        if (expected == "accept")
        {
            Assert.True(parsed, error?.Message);
            Assert.NotNull(schedule!.GetNextOccurrence(Anchor));
            return;
        }

        Assert.StartsWith("reject", expected, StringComparison.Ordinal);
        Assert.False(parsed);
        Assert.Equal("scheduleExpression", error!.Field);
        Assert.Contains(ExpectedMention[query], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expression_Case_CoversSeventeenRows()
    {
        Assert.Equal(17, Expressions().Count);
    }

    [Theory]
    [InlineData("0 0 12 ? * *", "2024-01-01T12:00:00Z")]
    [InlineData("0 * * ? * *", "2024-01-01T00:01:00Z")]
    public void Expression_QuestionMark_MeansAnyDay(string expression, string expected)
    {
        ScheduleParser.TryParse("RECURRING", expression, "UTC", Anchor, out Schedule? schedule, out _);

        Assert.Equal(SchedulingCases.ParseInstant(expected), schedule!.GetNextOccurrence(Anchor));
    }
}

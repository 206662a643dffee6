using System.Net;
using System.Text.Json;

namespace JobScheduler.Silo.Tests.Api;

/// <summary><c>GET /api/v1/schedules/preview</c>: exact occurrences in UTC and local time, and the creation checks.</summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class SchedulePreviewTests(TenantGatewayFixture fixture)
{
    private HttpClient Http => fixture.For("previewer");

    [Fact]
    public async Task Weekdays_AcrossSpringForward()
    {
        var preview = await Http.GetJsonAsync("/api/v1/schedules/preview?expression=0%209%20*%20*%20MON-FRI&timeZone=Europe/Berlin&count=3&from=2026-03-27T00:00:00Z");

        Assert.Equal("0 9 * * MON-FRI", preview.String("expression"));
        Assert.Equal("Europe/Berlin", preview.String("timeZone"));
        Assert.Equal("2026-03-27T00:00:00.000Z", preview.String("from"));
        Assert.Equal(
            [("2026-03-27T08:00:00.000Z", "2026-03-27T09:00:00.000+01:00"),
             ("2026-03-30T07:00:00.000Z", "2026-03-30T09:00:00.000+02:00"),
             ("2026-03-31T07:00:00.000Z", "2026-03-31T09:00:00.000+02:00")],
            Occurrences(preview));
    }

    [Fact]
    public async Task SpringForwardGap_RunsOnceWhenGapEnds()
    {
        var preview = await Http.GetJsonAsync("/api/v1/schedules/preview?expression=30%202%20*%20*%20*&timeZone=America/New_York&count=2&from=2026-03-07T12:00:00Z");

        Assert.Equal(
            [("2026-03-08T07:00:00.000Z", "2026-03-08T03:00:00.000-04:00"),
             ("2026-03-09T06:30:00.000Z", "2026-03-09T02:30:00.000-04:00")],
            Occurrences(preview));
    }

    [Fact]
    public async Task EveryInterval_CountsFromFrom()
    {
        var preview = await Http.GetJsonAsync("/api/v1/schedules/preview?expression=%40every%2090s&count=2&from=2026-01-01T00:00:00Z");

        Assert.Equal("UTC", preview.String("timeZone"));
        Assert.Equal(
            [("2026-01-01T00:01:30.000Z", "2026-01-01T00:01:30.000+00:00"),
             ("2026-01-01T00:03:00.000Z", "2026-01-01T00:03:00.000+00:00")],
            Occurrences(preview));
    }

    [Fact]
    public async Task DefaultCount_IsTen()
    {
        var preview = await Http.GetJsonAsync("/api/v1/schedules/preview?expression=%40hourly");

        Assert.Equal(10, preview.GetProperty("occurrences").GetArrayLength());
    }

    [Theory]
    [InlineData("", "expression")]
    [InlineData("expression=", "expression")]
    [InlineData("expression=0%200%2030%202%20*", "expression")]
    [InlineData("expression=61%20*%20*%20*%20*", "expression")]
    [InlineData("expression=0%200%200%20*%20*%20*%202030", "expression")]
    [InlineData("expression=%40fortnightly", "expression")]
    [InlineData("expression=%40every%200s", "expression")]
    [InlineData("expression=*%20*%20*%20*%20*&timeZone=Mars/Olympus", "timeZone")]
    [InlineData("expression=*%20*%20*%20*%20*&count=0", "count")]
    [InlineData("expression=*%20*%20*%20*%20*&count=101", "count")]
    [InlineData("expression=*%20*%20*%20*%20*&count=three", "count")]
    [InlineData("expression=*%20*%20*%20*%20*&from=tomorrow", "from")]
    [InlineData("expression=*%20*%20*%20*%20*&from=2026-01-01T00:00:00", "from")]
    [InlineData("expression=*%20*%20*%20*%20*&from=9999-12-31T23:58:00-14:00", "from")]
    [InlineData("expression=*%20*%20*%20*%20*&from=0001-01-01T00:00:00%2B14:00", "from")]
    public async Task BadParameter_Returns400NamingIt(string query, string field)
    {
        using var response = await Http.GetAsync($"/api/v1/schedules/preview?{query}");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task NeverFiringExpression_ExplainsWhy()
    {
        using var response = await Http.GetAsync("/api/v1/schedules/preview?expression=0%200%2031%204%20*");

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "expression");
        Assert.StartsWith("The cron expression '0 0 31 4 *' can never fire", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task LatestFrom_ListsOnlyInstantsBeforeYear10000()
    {
        var preview = await Http.GetJsonAsync("/api/v1/schedules/preview?expression=*%20*%20*%20*%20*&count=5&from=9999-12-31T23:57:30Z");

        Assert.True(Occurrences(preview).Count <= 2);
        Assert.All(Occurrences(preview), occurrence => Assert.StartsWith("9999-12-31T23:5", occurrence.Utc));
    }

    private static List<(string Utc, string Local)> Occurrences(JsonElement preview) =>
        preview.GetProperty("occurrences").EnumerateArray().Select(o => (o.String("utc"), o.String("local"))).ToList();
}

namespace JobScheduler.Silo.Tests;

/// <summary>Time zone ids are stored as the canonical IANA id, whatever spelling the request used.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TimeZoneNormalizationTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("europe/dublin", "Europe/Dublin")]
    [InlineData("UTC", "UTC")]
    public async Task CreateJob_StoresCanonicalZone(string given, string stored)
    {
        var jobId = await fixture.Http.CreateJobAsync($$$"""
            {"name": "zone", "type": "RECURRING", "scheduleExpression": "0 9 * * *", "timeZone": "{{{given}}}",
             "target": {"type": "HTTP", "url": "http://127.0.0.1:9/x"}}
            """);

        var job = await fixture.Http.GetJsonAsync($"/api/v1/jobs/{jobId}");

        Assert.Equal(stored, job.String("timeZone"));
    }
}

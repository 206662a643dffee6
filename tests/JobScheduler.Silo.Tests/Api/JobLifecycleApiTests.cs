using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>PUT with ETag and If-Match, DELETE, pause and resume over real HTTP.</summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class JobLifecycleApiTests(TenantGatewayFixture fixture)
{
    private HttpClient Http => fixture.For("lifecycle");

    private string Target => $"{fixture.Receiver.BaseUrl}/ok/lifecycle";

    [Fact]
    public async Task Create_ReturnsETagOfVersionOne()
    {
        using var response = await Http.PostJsonAsync("/api/v1/jobs", ApiAssert.JobBody(Target));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(1, (await response.ReadJsonAsync()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Put_ReplacesDefinitionAndBumpsETag()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target, "before"));
        var june = NextJuneFirst();

        using var response = await PutAsync(jobId, ApiAssert.JobBody(Target, "after", "0 0 1 6 *"), "\"1\"");
        var job = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal("after", job.String("name"));
        Assert.Equal("0 0 1 6 *", job.String("scheduleExpression"));
        Assert.Equal(2, job.GetProperty("version").GetInt64());
        Assert.Equal(june.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), job.String("nextExecutionAt"));
        using var read = await Http.GetAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
        var executions = await Http.GetJsonAsync($"/api/v1/jobs/{jobId}/executions");
        Assert.Empty(executions.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Put_WithStaleETag_Returns412AndKeepsJob()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target, "original"));
        using (var first = await PutAsync(jobId, ApiAssert.JobBody(Target, "first-edit"), "\"1\""))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var stale = await PutAsync(jobId, ApiAssert.JobBody(Target, "second-edit"), "\"1\"");
        using var weak = await PutAsync(jobId, ApiAssert.JobBody(Target, "weak-edit"), "W/\"2\"");

        var problem = await ApiAssert.ProblemAsync(stale, HttpStatusCode.PreconditionFailed, "If-Match");
        Assert.Equal($"Job {jobId} is at version 2, not 1; read it again and retry with its current ETag.", problem.GetProperty("detail").GetString());
        var weakProblem = await ApiAssert.ProblemAsync(weak, HttpStatusCode.PreconditionFailed, "If-Match");
        Assert.StartsWith("If-Match W/\"2\" is a weak tag, which never matches", weakProblem.GetProperty("detail").GetString());
        var job = await Http.GetJsonAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal("first-edit", job.String("name"));
        Assert.Equal(2, job.GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("\"unterminated")]
    [InlineData("\"abc\"")]
    [InlineData("\"99999999999999999999\"")]
    public async Task Put_WithMalformedIfMatch_Returns400(string ifMatch)
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target));
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/jobs/{jobId}")
        {
            Content = new StringContent(ApiAssert.JobBody(Target, "edited"), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        using var response = await Http.SendAsync(request);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "If-Match");
    }

    [Fact]
    public async Task Put_WithWildcardIfMatch_Succeeds()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target));

        using var response = await PutAsync(jobId, ApiAssert.JobBody(Target, "any-version"), "*");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Put_InvalidBody_Returns400AndKeepsVersion()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target));

        using var response = await PutAsync(jobId, ApiAssert.JobBody(Target, "bad", "0 0 30 2 *"), null);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "scheduleExpression");
        Assert.Equal(1, (await Http.GetJsonAsync($"/api/v1/jobs/{jobId}")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Delete_KeepsJobReadable()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target, "to-delete"));
        using (var run = await Http.PostAsync($"/api/v1/jobs/{jobId}/execute", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        }

        using var response = await Http.DeleteAsync($"/api/v1/jobs/{jobId}");
        var deleted = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DELETED", deleted.String("status"));
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal("DELETED", (await Http.GetJsonAsync($"/api/v1/jobs/{jobId}")).String("status"));
        Assert.Single((await Http.GetJsonAsync($"/api/v1/jobs/{jobId}/executions")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(jobId, await ListedIdsAsync("/api/v1/jobs?name=to-delete"));
        Assert.Contains(jobId, await ListedIdsAsync("/api/v1/jobs?name=to-delete&status=DELETED"));
        using var execute = await Http.PostAsync($"/api/v1/jobs/{jobId}/execute", null);
        await ApiAssert.ProblemAsync(execute, HttpStatusCode.Conflict, null);
        using var edit = await PutAsync(jobId, ApiAssert.JobBody(Target), null);
        await ApiAssert.ProblemAsync(edit, HttpStatusCode.Conflict, null);
    }

    [Fact]
    public async Task PauseResume_ChangeStatusAndNextInstant()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target, "pausable", "0 0 1 1 *"));

        using var paused = await Http.PostAsync($"/api/v1/jobs/{jobId}/pause", null);
        var pausedJob = await paused.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("PAUSED", pausedJob.String("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pausedJob.GetProperty("nextExecutionAt").ValueKind);
        Assert.Equal("\"2\"", paused.Headers.ETag?.Tag);
        Assert.Contains(jobId, await ListedIdsAsync("/api/v1/jobs?status=PAUSED&name=pausable"));

        using var again = await Http.PostAsync($"/api/v1/jobs/{jobId}/pause", null);
        Assert.Equal("\"2\"", again.Headers.ETag?.Tag);

        using var resumed = await Http.PostAsync($"/api/v1/jobs/{jobId}/resume", null);
        var resumedJob = await resumed.ReadJsonAsync();
        Assert.Equal("ACTIVE", resumedJob.String("status"));
        Assert.Equal("\"3\"", resumed.Headers.ETag?.Tag);
        Assert.Equal($"{DateTime.UtcNow.Year + 1}-01-01T00:00:00.000Z", resumedJob.String("nextExecutionAt"));
    }

    [Fact]
    public async Task Pause_WithStaleETag_Returns412()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{jobId}/pause");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));

        using var response = await Http.SendAsync(request);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.PreconditionFailed, "If-Match");
    }

    [Fact]
    public async Task ResumeOfDeletedJob_Returns409()
    {
        var jobId = await Http.CreateJobAsync(ApiAssert.JobBody(Target));
        (await Http.DeleteAsync($"/api/v1/jobs/{jobId}")).Dispose();

        using var response = await Http.PostAsync($"/api/v1/jobs/{jobId}/resume", null);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict, null);
        Assert.Equal($"Job {jobId} is DELETED and cannot be resumed; only an ACTIVE job can be paused and only a PAUSED job resumed.", problem.GetProperty("detail").GetString());
    }

    private async Task<HttpResponseMessage> PutAsync(string jobId, string body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/jobs/{jobId}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Http.SendAsync(request);
    }

    private async Task<List<string>> ListedIdsAsync(string path) =>
        (await Http.GetJsonAsync(path)).GetProperty("items").EnumerateArray().Select(item => item.String("jobId")).ToList();

    private static DateTime NextJuneFirst()
    {
        var now = DateTime.UtcNow;
        var june = new DateTime(now.Year, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        return june > now ? june : june.AddYears(1);
    }
}

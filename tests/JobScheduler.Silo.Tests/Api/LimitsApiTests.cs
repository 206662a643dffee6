using System.Net;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>Per-user rate limit, active-job quota and outbound address checks on a gateway with small limits.</summary>
[Collection(StrictGatewayCollection.Name)]
public sealed class LimitsApiTests(StrictGatewayFixture fixture)
{
    [Fact]
    public async Task RateLimit_Returns429WithRetryAfter()
    {
        var http = fixture.For("flooder");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < StrictGatewayFixture.Burst + 10; i++)
        {
            var response = await http.GetAsync("/api/v1/jobs");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && rejected is null)
            {
                rejected = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(rejected);
        var problem = await ApiAssert.ProblemAsync(rejected, HttpStatusCode.TooManyRequests, null);
        Assert.Equal(TimeSpan.FromSeconds(1), rejected.Headers.RetryAfter?.Delta);
        Assert.Equal("Too many requests: the limit is 1 requests per second per user, with bursts of 20. Retry after 1 s.", problem.GetProperty("detail").GetString());
        Assert.All(statuses.Take(StrictGatewayFixture.Burst), status => Assert.Equal(HttpStatusCode.OK, status));
        rejected.Dispose();

        using var otherUser = await fixture.For("bystander").GetAsync("/api/v1/jobs");
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
    }

    [Fact]
    public async Task Quota_Returns403ExplainingLimit()
    {
        var http = fixture.For("collector");
        var ids = new List<string>();
        for (var i = 0; i < StrictGatewayFixture.Quota; i++)
        {
            ids.Add(await http.CreateJobAsync(ApiAssert.JobBody("http://127.0.0.2:9/run", $"quota-{i}")));
        }

        using var refused = await http.PostJsonAsync("/api/v1/jobs", ApiAssert.JobBody("http://127.0.0.2:9/run", "one-too-many"));

        var problem = await ApiAssert.ProblemAsync(refused, HttpStatusCode.Forbidden, null);
        Assert.Equal("Quota exceeded", problem.GetProperty("title").GetString());
        Assert.Equal(
            "You have reached the limit of 3 active or paused jobs per user (setting Scheduler:MaxActiveJobsPerUser). Completed and deleted jobs do not count: delete jobs you no longer need and retry.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(StrictGatewayFixture.Quota, (await fixture.JobIndex.ListAsync("collector", 100, null)).Count);

        (await http.DeleteAsync($"/api/v1/jobs/{ids[0]}")).Dispose();
        await http.CreateJobAsync(ApiAssert.JobBody("http://127.0.0.2:9/run", "after-delete"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/run", "127.0.0.1, a reserved address (loopback)")]
    [InlineData("http://localhost:9/run", "a reserved address (loopback)")]
    [InlineData("http://[::1]:9/run", "::1, a reserved address (loopback)")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a reserved address (cloud metadata)")]
    [InlineData("http://10.1.1.1/", "10.1.1.1, a reserved address (private)")]
    public async Task ReservedTarget_Returns400BeforeAnyCall(string url, string expected)
    {
        using var response = await fixture.For("ssrf-strict").PostJsonAsync("/api/v1/jobs", ApiAssert.JobBody(url));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "target.url");
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AllowedNetwork_AcceptsItsAddress()
    {
        var job = await fixture.For("allowed-network").CreateJobAsync(ApiAssert.JobBody("http://127.0.0.2:9/run"));

        Assert.StartsWith("job_", job);
    }
}

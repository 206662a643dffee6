using System.Globalization;
using System.Net;
using System.Text.Json;

namespace JobScheduler.Silo.Tests.Api;

/// <summary><c>GET /api/v1/jobs</c>: cursor paging through 1,000 jobs, filters and parameter errors.</summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class JobListApiTests(TenantGatewayFixture fixture)
{
    [Fact]
    public async Task Listing_PagesThrough1000JobsInCreationOrder()
    {
        var http = fixture.For("thousand");
        var created = await CreateManyAsync(http, 1000, "bulk");
        var expected = created.OrderBy(id => id, StringComparer.Ordinal).ToList();

        var byMax = await ReadAllAsync(http, "/api/v1/jobs?limit=500");
        var byDefault = await ReadAllAsync(http, "/api/v1/jobs");
        var byOdd = await ReadAllAsync(http, "/api/v1/jobs?limit=333");

        Assert.Equal(expected, byMax.Ids);
        Assert.Equal(2, byMax.Pages);
        Assert.Equal(expected, byDefault.Ids);
        Assert.Equal(20, byDefault.Pages);
        Assert.Equal(expected, byOdd.Ids);
        Assert.Equal(4, byOdd.Pages);
    }

    [Fact]
    public async Task Listing_FiltersByNamePrefixAndStatus()
    {
        var http = fixture.For("filters");
        var reports = await CreateManyAsync(http, 3, "report");
        var others = await CreateManyAsync(http, 2, "cleanup");
        (await http.PostAsync($"/api/v1/jobs/{reports[0]}/pause", null)).Dispose();
        (await http.DeleteAsync($"/api/v1/jobs/{reports[1]}")).Dispose();

        Assert.Equal([reports[0], reports[2]], (await ReadAllAsync(http, "/api/v1/jobs?name=REPORT")).Ids);
        Assert.Equal([reports[0]], (await ReadAllAsync(http, "/api/v1/jobs?status=PAUSED")).Ids);
        Assert.Equal([reports[1]], (await ReadAllAsync(http, "/api/v1/jobs?status=DELETED")).Ids);
        Assert.Equal([reports[2], .. others], (await ReadAllAsync(http, "/api/v1/jobs?status=ACTIVE")).Ids);
        Assert.Equal([reports[0], reports[2], .. others], (await ReadAllAsync(http, "/api/v1/jobs")).Ids);

        var page = await http.GetJsonAsync("/api/v1/jobs?name=report&limit=1");
        var item = page.GetProperty("items")[0];
        Assert.Equal(reports[0], item.String("jobId"));
        Assert.Equal(Names[reports[0]], item.String("name"));
        Assert.Equal("PAUSED", item.String("status"));
        Assert.EndsWith("Z", item.String("createdAt"));
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=job_01M91F24VAC2ZYEW62JTYPTZV7", "cursor")]
    [InlineData("status=active", "status")]
    [InlineData("status=RUNNING", "status")]
    [InlineData("name=%01x", "name")]
    public async Task Listing_RejectsBadParameter(string query, string field)
    {
        using var response = await fixture.For("list-errors").GetAsync($"/api/v1/jobs?{query}");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest, field);
    }

    /// <summary>Names of the created jobs by id: ids created in the same millisecond do not sort in creation order.</summary>
    private Dictionary<string, string> Names { get; } = [];

    private async Task<List<string>> CreateManyAsync(HttpClient http, int count, string prefix)
    {
        var ids = new string[count];
        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var name = $"{prefix}-{index.ToString("D4", CultureInfo.InvariantCulture)}";
                ids[index] = await http.CreateJobAsync(ApiAssert.JobBody($"{fixture.Receiver.BaseUrl}/ok/list", name));
                lock (Names)
                {
                    Names[ids[index]] = name;
                }
            }
        });
        await Task.WhenAll(workers);
        return [.. ids.OrderBy(id => id, StringComparer.Ordinal)];
    }

    private static async Task<(List<string> Ids, int Pages)> ReadAllAsync(HttpClient http, string path)
    {
        var ids = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var url = cursor is null ? path : $"{path}{separator}cursor={Uri.EscapeDataString(cursor)}";
            var page = await http.GetJsonAsync(url);
            pages++;
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.String("jobId")));
            cursor = page.GetProperty("nextCursor").GetString();
            Assert.True(pages <= 1000, "paging did not end");
        }
        while (cursor is not null);

        return (ids, pages);
    }
}

using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests.Outbound;

/// <summary>
/// The job grain rejects reserved target addresses for a plain Orleans client too, so the embedded client
/// cannot bypass the gateway's checks. The cluster runs in dev mode, where loopback is allowed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OutboundClusterTests(ClusterFixture fixture)
{
    private const string User = "ssrf";

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254, a reserved address (cloud metadata)")]
    [InlineData("http://[fd00:ec2::254]/latest/", "fd00:ec2::254, a reserved address (cloud metadata)")]
    [InlineData("http://[::ffff:a9fe:a9fe]/", "a reserved address (cloud metadata)")]
    [InlineData("http://10.0.0.8/", "10.0.0.8, a reserved address (private)")]
    [InlineData("https://192.168.10.1:8443/", "192.168.10.1, a reserved address (private)")]
    [InlineData("http://[fe80::1]/", "a reserved address (link-local)")]
    [InlineData("http://0.0.0.0:8080/", "0.0.0.0, a reserved address (unspecified)")]
    [InlineData("http://224.0.0.251/", "224.0.0.251, a reserved address (multicast)")]
    public async Task Create_RejectsReservedTarget(string url, string expected)
    {
        var result = await Grain().Create(User, HttpJob(url));

        Assert.Equal(ApiErrorKind.Validation, result.Error?.Kind);
        Assert.Equal("target.url", result.Error?.Field);
        Assert.Contains(expected, result.Error?.Message);
    }

    [Fact]
    public async Task Create_AllowsLoopbackInDevMode()
    {
        var result = await Grain().Create(User, HttpJob("http://127.0.0.1:9/run"));

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task Update_RejectsReservedTargetAndKeepsJob()
    {
        var job = Grain();
        Assert.True((await job.Create(User, HttpJob("http://127.0.0.1:9/run"))).IsSuccess);

        var result = await job.Update(User, HttpJob("http://169.254.169.254/"), null);

        Assert.Equal("target.url", result.Error?.Field);
        var current = (await job.GetJob(User)).Value!;
        Assert.Equal(1, current.Version);
        Assert.Equal("http://127.0.0.1:9/run", current.Definition.Target!.Url);
    }

    [Fact]
    public async Task Create_RejectsPayloadOverLimit()
    {
        const int limit = 256 * 1024;
        var atLimit = JobDefinitions.Recurring("0 0 1 1 *") with { Payload = Json(limit) };
        var overLimit = JobDefinitions.Recurring("0 0 1 1 *") with { Payload = Json(limit + 1) };

        Assert.True((await Grain().Create(User, atLimit)).IsSuccess);
        var rejected = await Grain().Create(User, overLimit);

        Assert.Equal(ApiErrorKind.PayloadTooLarge, rejected.Error?.Kind);
        Assert.Equal("payload", rejected.Error?.Field);
        Assert.Equal($"The payload is {limit + 1} bytes of JSON; the limit is {limit} bytes. Store large data elsewhere and pass a reference.", rejected.Error?.Message);
    }

    private static string Json(int bytes) => "\"" + new string('a', bytes - 2) + "\"";

    private static JobDefinition HttpJob(string url) => new()
    {
        Name = "ssrf",
        Type = JobType.Recurring,
        ScheduleExpression = "0 0 1 1 *",
        Target = new TargetDefinition { Type = TargetType.Http, Url = url },
    };

    private IJobGrain Grain() => fixture.Grains.GetGrain<IJobGrain>(JobIds.NewJobId(ClusterFixture.Time.GetUtcNow()));
}

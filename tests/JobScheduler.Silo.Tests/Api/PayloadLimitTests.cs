using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>
/// Large payloads are delivered intact or rejected at creation, never accepted and then dropped. The payload
/// limit is 262,144 bytes of payload JSON and the request-body limit 524,288 bytes; both return 413 with the limit.
/// </summary>
[Collection(TenantGatewayCollection.Name)]
public sealed class PayloadLimitTests(TenantGatewayFixture fixture)
{
    private const int PayloadLimit = 262_144;

    [Theory]
    [InlineData(1024)]
    [InlineData(PayloadLimit - 1)]
    [InlineData(PayloadLimit)]
    public async Task PayloadWithinLimit_IsDeliveredOnceIntact(int bytes)
    {
        var http = fixture.For("payload-within");
        var payload = JsonString(bytes);
        var path = $"/ok/payload-{bytes}";

        var jobId = await http.CreateJobAsync(OneTimeJob(path, payload));

        await Eventually.HoldsAsync(() => fixture.Receiver.CallsTo(path).Count(c => c.Header("JobScheduler-Job-Id") == jobId) == 1, "delivery", 20);
        await Task.Delay(500);
        var call = Assert.Single(fixture.Receiver.CallsTo(path), c => c.Header("JobScheduler-Job-Id") == jobId);
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(call.Body));
        Assert.Equal(Sha256(payload), Sha256(call.Body));
    }

    [Fact]
    public async Task PayloadOverLimit_Returns413AndStoresNothing()
    {
        var http = fixture.For("payload-over");

        using var response = await http.PostJsonAsync("/api/v1/jobs", OneTimeJob("/ok/payload-over", JsonString(PayloadLimit + 1)));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload");
        Assert.Equal(
            $"The payload is {PayloadLimit + 1} bytes of JSON; the limit is {PayloadLimit} bytes. Store large data elsewhere and pass a reference.",
            problem.GetProperty("detail").GetString());
        Assert.Empty(await fixture.JobIndex.ListAsync("payload-over", 10, null));
    }

    [Fact]
    public async Task SixteenMebibyteBody_Returns413WithBodyLimit()
    {
        var http = fixture.For("payload-huge");
        var body = OneTimeJob("/ok/payload-huge", JsonString(16 * 1024 * 1024));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        // Like curl for large bodies, wait for 100 Continue: the gateway returns 413 from Content-Length without
        // reading the body, and a client still sending 16 MiB would otherwise see the connection reset instead.
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Contains("the limit is 524288 bytes (setting Gateway:MaxRequestBodyBytes)", problem.GetProperty("detail").GetString());
        Assert.Empty(await fixture.JobIndex.ListAsync("payload-huge", 10, null));
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Returns413()
    {
        var http = fixture.For("payload-chunked");
        var body = Encoding.UTF8.GetBytes(OneTimeJob("/ok/payload-chunked", JsonString(600 * 1024)));
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await http.SendAsync(request);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body");
        Assert.Contains("the limit is 524288 bytes", problem.GetProperty("detail").GetString());
    }

    private string OneTimeJob(string path, string payload)
    {
        var due = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        return $$$"""
            {"name": "large", "type": "ONE_TIME", "scheduleExpression": "{{{due}}}", "target": {"type": "HTTP", "url": "{{{fixture.Receiver.BaseUrl}}}{{{path}}}"}, "payload": {{{payload}}}}
            """;
    }

    /// <summary>A JSON string value of exactly <paramref name="bytes"/> bytes, quotes included.</summary>
    private static string JsonString(int bytes) => "\"" + new string('x', bytes - 2) + "\"";

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

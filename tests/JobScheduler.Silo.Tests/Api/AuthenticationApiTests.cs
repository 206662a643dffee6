using System.Net;
using System.Net.Http.Headers;
using JobScheduler.Silo.Gateway.Security;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>A gateway that requires tokens: 401 problems that give the reason, and anonymous health and OpenAPI endpoints.</summary>
[Collection(StrictGatewayCollection.Name)]
public sealed class AuthenticationApiTests(StrictGatewayFixture fixture)
{
    [Fact]
    public async Task NoToken_Returns401WithChallenge()
    {
        using var response = await fixture.Anonymous.GetAsync("/api/v1/jobs");

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.StartsWith("This endpoint requires a bearer token.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TokenWithOtherKey_Returns401()
    {
        var other = new AuthSettings { SigningKey = "another-signing-key-that-is-long-enough-0123" };

        using var response = await SendWithTokenAsync(TokenIssuer.Create(other, "mallory", TimeSpan.FromHours(1), DateTimeOffset.UtcNow));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization");
        Assert.StartsWith("The bearer token's signature does not match this gateway's signing key.", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task ExpiredToken_Returns401NamingExpiry()
    {
        var issued = DateTimeOffset.UtcNow.AddHours(-2);

        using var response = await SendWithTokenAsync(TokenIssuer.Create(IsolatedGatewayFixture.Auth, "late", TimeSpan.FromHours(1), issued));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization");
        Assert.StartsWith($"The bearer token expired at {issued.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TokenForOtherAudience_Returns401()
    {
        var elsewhere = new AuthSettings { SigningKey = IsolatedGatewayFixture.SigningKey, Audience = "another-api" };

        using var response = await SendWithTokenAsync(TokenIssuer.Create(elsewhere, "alice", TimeSpan.FromHours(1), DateTimeOffset.UtcNow));

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization");
        Assert.StartsWith("The bearer token was issued for another issuer or audience.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MalformedToken_Returns401()
    {
        using var response = await SendWithTokenAsync("not.a.token");

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization");
    }

    [Fact]
    public async Task ValidToken_ActsAsItsSubject()
    {
        var http = fixture.For("carol");

        var job = await http.CreateJobAsync(ApiAssert.JobBody("http://127.0.0.2:9/run", "carol-job"));

        Assert.Equal("carol", (await http.GetJsonAsync($"/api/v1/jobs/{job}")).String("userId"));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task OperationalEndpoints_StayAnonymous(string path)
    {
        using var response = await fixture.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await fixture.Anonymous.SendAsync(request);
    }
}

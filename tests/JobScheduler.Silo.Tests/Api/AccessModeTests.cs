using JobScheduler.Silo.Gateway.Security;
using JobScheduler.Silo.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JobScheduler.Silo.Tests.Api;

/// <summary>The start-up decision of who may call the API, the loopback check of listen URLs and the token command.</summary>
public sealed class AccessModeTests
{
    private static readonly AuthSettings NoAuth = new();
    private static readonly AuthSettings WithKey = new() { SigningKey = IsolatedGatewayFixture.SigningKey };

    [Theory]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.1.2.3:80", true)]
    [InlineData("https://[::1]:8443", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://scheduler.example:8080", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    public void ListenUrl_IsLoopbackOnlyForLocalHosts(string url, bool loopback)
    {
        Assert.Equal(loopback, ListenAddresses.IsLoopback(url));
    }

    [Fact]
    public void DevModeOnLoopback_AllowsAnonymousDevUser()
    {
        var access = GatewayAccess.Decide(NoAuth, durableMode: false, ["http://localhost:8080"]);

        Assert.True(access.AllowsAnonymousDevUser);
        Assert.False(access.ValidatesTokens);
    }

    [Fact]
    public void ExposedDevMode_RefusesToStart()
    {
        var exception = Assert.Throws<SiloStartupException>(() => GatewayAccess.Decide(NoAuth, false, ["http://localhost:8080", "http://0.0.0.0:8080"]));

        Assert.Equal(
            "Dev mode without authentication listens only on loopback addresses, but the gateway is configured to listen on http://0.0.0.0:8080. "
            + "Listen on http://localhost:8080 or http://127.0.0.1:8080, or set Auth:SigningKey so that every request needs a token.",
            exception.Message);
    }

    [Fact]
    public void ExposedDevModeWithKey_RequiresTokens()
    {
        var access = GatewayAccess.Decide(WithKey, false, ["http://0.0.0.0:8080"]);

        Assert.False(access.AllowsAnonymousDevUser);
        Assert.True(access.ValidatesTokens);
    }

    [Fact]
    public void DurableMode_RequiresTokensEvenOnLoopback()
    {
        var access = GatewayAccess.Decide(WithKey, durableMode: true, ["http://localhost:8080"]);

        Assert.False(access.AllowsAnonymousDevUser);
    }

    [Fact]
    public void DurableModeWithoutAuth_RefusesToStart()
    {
        var exception = Assert.Throws<SiloStartupException>(() => GatewayAccess.Decide(NoAuth, durableMode: true, ["http://localhost:8080"]));

        Assert.StartsWith("Durable mode requires authentication", exception.Message);
    }

    [Fact]
    public void ShortSigningKey_RefusesToStart()
    {
        var exception = Assert.Throws<SiloStartupException>(() => GatewayAccess.Decide(new AuthSettings { SigningKey = "short" }, false, []));

        Assert.StartsWith("Auth:SigningKey is 5 bytes long; HMAC-SHA256 needs at least 32.", exception.Message);
    }

    [Fact]
    public void AuthorityWithoutAudience_RefusesToStart()
    {
        var exception = Assert.Throws<SiloStartupException>(() => GatewayAccess.Decide(new AuthSettings { Authority = "https://login.example" }, true, []));

        Assert.StartsWith("Auth:Authority is set without Auth:Audience", exception.Message);
    }

    [Fact]
    public void RequireTokenWithoutKey_RefusesToStart()
    {
        Assert.Throws<SiloStartupException>(() => GatewayAccess.Decide(new AuthSettings { RequireToken = true }, false, ["http://localhost:8080"]));
    }

    [Fact]
    public void ExposedSilo_DoesNotBuild()
    {
        var exception = Assert.Throws<SiloStartupException>(() => SiloApp.Build(["--urls", "http://0.0.0.0:0", "--Logging:LogLevel:Default=Warning"]));

        Assert.Contains("http://0.0.0.0:0", exception.Message);
    }

    [Fact]
    public async Task TokenCommand_PrintsValidToken()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = TokenCommand.Run(["--user", "alice", "--expires", "2h", $"--Auth:SigningKey={IsolatedGatewayFixture.SigningKey}"], output, error);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error.ToString());
        var token = new JsonWebToken(output.ToString().Trim());
        Assert.Equal("alice", token.Subject);
        Assert.Equal("jobscheduler", token.Issuer);
        Assert.Equal(["jobscheduler-api"], token.Audiences);
        Assert.InRange(token.ValidTo - token.ValidFrom, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token.EncodedToken, new TokenValidationParameters
        {
            ValidIssuer = "jobscheduler",
            ValidAudience = "jobscheduler-api",
            IssuerSigningKey = TokenIssuer.SigningKey(IsolatedGatewayFixture.Auth),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public void TokenCommandWithoutKey_FailsWithMessage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = TokenCommand.Run(["--user", "alice"], output, error);

        Assert.Equal(1, exitCode);
        Assert.Equal("", output.ToString());
        Assert.StartsWith("No signing key is configured, so no token can be minted.", error.ToString());
    }

    [Theory]
    [InlineData("--expires", "forever")]
    [InlineData("--expires", "0h")]
    [InlineData("--expires", "400d")]
    [InlineData("--user", "")]
    public void TokenCommandWithBadOption_ReturnsUsageError(string option, string value)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = option == "--user" ? ["--user", value] : ["--user", "alice", option, value];

        var exitCode = TokenCommand.Run([.. args, $"--Auth:SigningKey={IsolatedGatewayFixture.SigningKey}"], output, error);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: token --user NAME", error.ToString());
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("12h", 43200)]
    [InlineData("7d", 604800)]
    public void Duration_ParsesUnits(string text, int seconds)
    {
        Assert.True(TokenCommand.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }
}

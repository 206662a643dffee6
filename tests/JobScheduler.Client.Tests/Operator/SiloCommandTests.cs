using System.Net;
using System.Net.Sockets;
using JobScheduler.Silo.Hosting;
using JobScheduler.Silo.Observability.Dashboard;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>The silo binary's healthcheck and hash-password commands.</summary>
[Collection(SiloCollection.Name)]
public sealed class SiloCommandTests(SiloFixture fixture)
{
    [Fact]
    public async Task HealthCheck_ReadySilo_ExitsZero()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await HealthCheckCommand.RunAsync(["--url", fixture.Silo.BaseUrl + "/health/ready"], output, error);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("healthy:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_NotFound_ExitsOne()
    {
        var error = new StringWriter();

        var exitCode = await HealthCheckCommand.RunAsync(["--url", fixture.Silo.BaseUrl + "/health/missing"], TextWriter.Null, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("responded 404", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_NothingListening_ExitsOne()
    {
        var error = new StringWriter();

        var exitCode = await HealthCheckCommand.RunAsync(["--url", $"http://127.0.0.1:{ClosedPort()}/health/ready", "--timeout", "2"], TextWriter.Null, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("could not be reached", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--url", "ftp://127.0.0.1/health")]
    [InlineData("--timeout", "0")]
    [InlineData("--verbose", "1")]
    public async Task HealthCheck_BadArguments_ExitsTwo(string option, string value)
    {
        var exitCode = await HealthCheckCommand.RunAsync([option, value], TextWriter.Null, TextWriter.Null);

        Assert.Equal(2, exitCode);
    }

    [Fact]
    public void HashPassword_PrintsHashThatVerifies()
    {
        var output = new StringWriter();

        var exitCode = HashPasswordCommand.Run([], new StringReader("a long enough password\n"), output, TextWriter.Null);
        var hash = output.ToString().Trim();
        var access = DashboardAccess.Decide(new DashboardSettings { Username = "ops", PasswordHash = hash }, durableMode: true, []);

        Assert.Equal(0, exitCode);
        Assert.True(access.Verify("ops", "a long enough password"));
    }

    [Fact]
    public void HashPassword_ShortPassword_ExitsOne()
    {
        var error = new StringWriter();

        var exitCode = HashPasswordCommand.Run([], new StringReader("short\n"), TextWriter.Null, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("shorter than 12", error.ToString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

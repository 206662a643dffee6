using JobScheduler.Silo.Hosting;
using JobScheduler.Silo.Observability.Dashboard;

namespace JobScheduler.Client.Tests.Operator;

/// <summary>How the dashboard's access mode follows from the settings, and the credential check.</summary>
public sealed class DashboardAccessTests
{
    private static readonly string[] Loopback = ["http://127.0.0.1:8080"];
    private static readonly string[] Exposed = ["http://+:8080"];

    [Fact]
    public void Decide_DevModeOnLoopbackWithoutOperator_IsOpen()
    {
        var access = DashboardAccess.Decide(new DashboardSettings(), durableMode: false, Loopback);

        Assert.Equal(DashboardMode.Open, access.Mode);
    }

    [Fact]
    public void Decide_DurableModeWithoutOperator_IsLocked()
    {
        var access = DashboardAccess.Decide(new DashboardSettings(), durableMode: true, Loopback);

        Assert.Equal(DashboardMode.Locked, access.Mode);
        Assert.False(access.Verify("", ""));
    }

    [Fact]
    public void Decide_DevModeExposedWithoutOperator_IsLocked()
    {
        var access = DashboardAccess.Decide(new DashboardSettings(), durableMode: false, Exposed);

        Assert.Equal(DashboardMode.Locked, access.Mode);
    }

    [Fact]
    public void Decide_OperatorConfigured_NeedsLoginEvenInDevMode()
    {
        var settings = new DashboardSettings { Username = "ops", Password = "a plain password" };

        var access = DashboardAccess.Decide(settings, durableMode: false, Loopback);

        Assert.Equal(DashboardMode.Login, access.Mode);
        Assert.True(access.Verify("ops", "a plain password"));
        Assert.False(access.Verify("ops", "a plain passwor"));
        Assert.False(access.Verify("OPS", "a plain password"));
    }

    [Fact]
    public void Verify_PasswordHash_MatchesOnlyItsPassword()
    {
        var settings = new DashboardSettings { Username = "ops", PasswordHash = DashboardAccess.HashPassword("s3cret-and-long") };

        var access = DashboardAccess.Decide(settings, durableMode: true, Exposed);

        Assert.True(access.Verify("ops", "s3cret-and-long"));
        Assert.False(access.Verify("ops", "s3cret-and-lon"));
        Assert.False(access.Verify(null, "s3cret-and-long"));
    }

    [Theory]
    [InlineData("ops", null, null, "without a password")]
    [InlineData("ops", "hash", "plain", "both set")]
    [InlineData("ops", "bm90IGEgaGFzaA==", null, "not a hash printed by")]
    [InlineData(null, null, "plain", "without Dashboard:Username")]
    public void Decide_UnusableCredentials_Throws(string? username, string? hash, string? password, string expected)
    {
        var settings = new DashboardSettings { Username = username, PasswordHash = hash, Password = password };

        var exception = Assert.Throws<SiloStartupException>(() => DashboardAccess.Decide(settings, durableMode: true, Loopback));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoginThrottle_RejectsAttemptsOverLimit()
    {
        using var throttle = new DashboardLogin.LoginThrottle(attemptsPerMinute: 2);

        using var first = throttle.Acquire("192.0.2.1");
        using var second = throttle.Acquire("192.0.2.1");
        using var third = throttle.Acquire("192.0.2.1");
        using var otherAddress = throttle.Acquire("192.0.2.2");

        Assert.True(first.IsAcquired);
        Assert.True(second.IsAcquired);
        Assert.False(third.IsAcquired);
        Assert.True(otherAddress.IsAcquired);
    }
}

using System.Net;
using System.Net.Sockets;
using JobScheduler.Grains.Outbound;

namespace JobScheduler.Grains.Tests.Outbound;

/// <summary>Which addresses job targets may reach. No test sends traffic: host names resolve through a fake resolver.</summary>
public sealed class OutboundAddressPolicyTests
{
    private static readonly OutboundAddressPolicy Strict = new([], allowLoopback: false, NoDns);

    [Theory]
    [InlineData("169.254.169.254", "cloud metadata")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("::ffff:169.254.169.254", "cloud metadata")]
    [InlineData("64:ff9b::a9fe:a9fe", "cloud metadata")]
    [InlineData("2002:a9fe:a9fe::1", "cloud metadata")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.10.20.30", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("::ffff:192.168.1.1", "private")]
    [InlineData("fd12:3456::1", "private (unique local)")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("255.255.255.255", "reserved")]
    public void ReservedAddress_IsRejectedWithItsKind(string address, string kind)
    {
        Assert.Equal(kind, Strict.RejectionReason(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddress_IsAllowed(string address)
    {
        Assert.Null(Strict.RejectionReason(IPAddress.Parse(address)));
    }

    [Fact]
    public void AllowedNetworks_AllowTheirRangeOnly()
    {
        var policy = new OutboundAddressPolicy(["10.20.0.0/16", "fd00:ec2::254", "127.0.0.0/8"], allowLoopback: false, NoDns);

        Assert.Null(policy.RejectionReason(IPAddress.Parse("10.20.5.6")));
        Assert.Equal("private", policy.RejectionReason(IPAddress.Parse("10.21.0.1")));
        Assert.Null(policy.RejectionReason(IPAddress.Parse("fd00:ec2::254")));
        Assert.Null(policy.RejectionReason(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Equal("loopback", policy.RejectionReason(IPAddress.Parse("::1")));
    }

    [Fact]
    public void AllowLoopback_AllowsLoopbackOnly()
    {
        var policy = new OutboundAddressPolicy([], allowLoopback: true, NoDns);

        Assert.Null(policy.RejectionReason(IPAddress.Parse("127.0.0.1")));
        Assert.Null(policy.RejectionReason(IPAddress.Parse("::1")));
        Assert.Equal("cloud metadata", policy.RejectionReason(IPAddress.Parse("169.254.169.254")));
        Assert.Equal("private", policy.RejectionReason(IPAddress.Parse("192.168.0.10")));
    }

    [Fact]
    public void InvalidAllowedNetwork_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new OutboundAddressPolicy(["10.0.0.0/33"], false, NoDns));

        Assert.Contains("'10.0.0.0/33'", exception.Message);
        Assert.Contains("Targets:AllowedNetworks", exception.Message);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a reserved address (cloud metadata)")]
    [InlineData("http://[fd00:ec2::254]/latest/", "fd00:ec2::254, a reserved address (cloud metadata)")]
    [InlineData("http://[::ffff:169.254.169.254]/", "169.254.169.254, a reserved address (cloud metadata)")]
    [InlineData("https://10.0.0.7:8443/run", "10.0.0.7, a reserved address (private)")]
    [InlineData("http://2130706433/", "127.0.0.1, a reserved address (loopback)")]
    [InlineData("http://0x7f.1/", "127.0.0.1, a reserved address (loopback)")]
    [InlineData("http://metadata.internal.test/", "169.254.169.254, a reserved address (cloud metadata)")]
    [InlineData("http://mixed.internal.test/", "10.0.0.9, a reserved address (private)")]
    public async Task ReservedUrl_IsRejectedBeforeAnyConnection(string url, string expected)
    {
        var policy = new OutboundAddressPolicy([], allowLoopback: false, FakeDns);

        var problem = await policy.CheckUrlAsync(new Uri(url));

        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
        Assert.Contains("Targets:AllowedNetworks", problem);
    }

    [Fact]
    public async Task PublicUrl_IsAccepted()
    {
        var policy = new OutboundAddressPolicy([], allowLoopback: false, FakeDns);

        Assert.Null(await policy.CheckUrlAsync(new Uri("https://public.internal.test/hook")));
        Assert.Null(await policy.CheckUrlAsync(new Uri("http://93.184.215.14/")));
    }

    [Fact]
    public async Task UnresolvableHost_IsRejected()
    {
        var policy = new OutboundAddressPolicy([], allowLoopback: false, FakeDns);

        var problem = await policy.CheckUrlAsync(new Uri("http://unknown.internal.test/"));

        Assert.StartsWith("The host 'unknown.internal.test' could not be resolved", problem);
    }

    [Fact]
    public async Task FtpUrl_IsRejected()
    {
        var problem = await Strict.CheckUrlAsync(new Uri("ftp://93.184.215.14/file"));

        Assert.Equal("The URL scheme 'ftp' is not allowed; use http or https.", problem);
    }

    private static Task<IPAddress[]> NoDns(string host, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"The test resolved '{host}' although it uses IP literals only.");

    private static Task<IPAddress[]> FakeDns(string host, CancellationToken cancellationToken) => host switch
    {
        "metadata.internal.test" => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") }),
        "mixed.internal.test" => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.9") }),
        "public.internal.test" => Task.FromResult(new[] { IPAddress.Parse("93.184.215.14") }),
        _ => throw new SocketException((int)SocketError.HostNotFound),
    };
}

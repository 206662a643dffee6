using System.Net;
using System.Net.Sockets;

namespace JobScheduler.Grains.Outbound;

/// <summary>
/// The address ranges a job target must not reach by default: loopback, private, link-local, multicast,
/// unspecified, cloud metadata and other special-purpose ranges (IANA IPv4 and IPv6 special-purpose
/// address registries). IPv6 forms that embed an IPv4 address are judged by that address.
/// </summary>
internal static class ReservedNetworks
{
    /// <summary>Cloud metadata endpoints (AWS, GCP, Azure, and AWS's IPv6 endpoint).</summary>
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"),
        IPAddress.Parse("fd00:ec2::254"),
    ];

    private static readonly (IPNetwork Network, string Kind)[] Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "private (unique local)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// Returns the address a rule applies to: the embedded IPv4 address of an IPv4-mapped, NAT64 or 6to4
    /// IPv6 address, else the address itself.
    /// </summary>
    public static IPAddress Effective(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : address;
    }

    /// <summary>Returns what kind of reserved address <paramref name="address"/> is, or null for a public address.</summary>
    public static string? Classify(IPAddress address)
    {
        var effective = Effective(address);
        if (MetadataAddresses.Any(effective.Equals))
        {
            return "cloud metadata";
        }

        foreach (var (network, kind) in Ranges)
        {
            if (network.BaseAddress.AddressFamily == effective.AddressFamily && network.Contains(effective))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>True for 127.0.0.0/8 and ::1, in any IPv6 form that embeds them.</summary>
    public static bool IsLoopback(IPAddress address) => IPAddress.IsLoopback(Effective(address));
}

using System.Net;
using System.Net.Sockets;

namespace JobScheduler.Grains.Outbound;

/// <summary>
/// Decides which addresses job targets may reach. Public addresses are allowed; loopback, private,
/// link-local, multicast, unspecified, cloud-metadata and other reserved addresses are rejected unless
/// <see cref="OutboundOptions.AllowedNetworks"/> contains them (or loopback is allowed, the dev-mode default).
/// The job grain checks a target's URL at creation and update; <see cref="Execution.OutboundConnectGuard"/>
/// checks every connection again at call time, which covers redirects and DNS changes.
/// </summary>
public sealed class OutboundAddressPolicy
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly bool _allowLoopback;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>Creates the policy.</summary>
    /// <param name="allowedNetworks">CIDR ranges or single addresses that are allowed although reserved.</param>
    /// <param name="allowLoopback">Allows 127.0.0.0/8 and ::1.</param>
    /// <param name="resolve">Host name resolution; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> when null.</param>
    /// <exception cref="ArgumentException">An entry of <paramref name="allowedNetworks"/> is not a CIDR range.</exception>
    public OutboundAddressPolicy(
        IEnumerable<string> allowedNetworks,
        bool allowLoopback,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _allowed = allowedNetworks.Select(ParseNetwork).ToList();
        _allowLoopback = allowLoopback;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>True when loopback targets are allowed.</summary>
    public bool AllowsLoopback => _allowLoopback;

    /// <summary>The ranges allowed in addition to public addresses.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks => _allowed;

    /// <summary>Returns why <paramref name="address"/> is rejected (such as "private"), or null when it is allowed.</summary>
    public string? RejectionReason(IPAddress address)
    {
        var kind = ReservedNetworks.Classify(address);
        if (kind is null)
        {
            return null;
        }

        if (_allowLoopback && ReservedNetworks.IsLoopback(address))
        {
            return null;
        }

        var effective = ReservedNetworks.Effective(address);
        var listed = _allowed.Any(network =>
            (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            || (network.BaseAddress.AddressFamily == effective.AddressFamily && network.Contains(effective)));
        return listed ? null : kind;
    }

    /// <summary>
    /// Checks an http or https URL: resolves its host and returns a message naming the first rejected
    /// address, or null when every address the host resolves to is allowed.
    /// </summary>
    public async Task<string?> CheckUrlAsync(Uri url, CancellationToken cancellationToken = default)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return $"The URL scheme '{url.Scheme}' is not allowed; use http or https.";
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(url.Host, cancellationToken);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException)
        {
            return $"The host '{url.Host}' could not be resolved ({exception.Message}); check the host name.";
        }

        foreach (var address in addresses)
        {
            if (RejectionReason(address) is { } reason)
            {
                return $"The host '{url.Host}' resolves to {address}, a reserved address ({reason}) that targets may not reach. "
                    + "Use a public address, or allow the range in Targets:AllowedNetworks.";
            }
        }

        return null;
    }

    /// <summary>
    /// Resolves a host name or IP literal (with or without IPv6 brackets). Throws <see cref="SocketException"/>
    /// when the name does not resolve and <see cref="OperationCanceledException"/> after 5 seconds.
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address))
        {
            return [address];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        var addresses = await _resolve(literal, timeout.Token);
        return addresses.Length > 0
            ? addresses
            : throw new SocketException((int)SocketError.HostNotFound);
    }

    private static IPNetwork ParseNetwork(string text)
    {
        var trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(trimmed, out var single))
        {
            return new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new ArgumentException(
            $"Targets:AllowedNetworks contains '{text}', which is not a CIDR range; use a form such as 10.20.0.0/16 or fd12::/64.",
            nameof(text));
    }
}

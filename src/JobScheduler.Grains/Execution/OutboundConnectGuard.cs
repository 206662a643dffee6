using System.Net;
using System.Net.Sockets;
using JobScheduler.Grains.Outbound;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// A <see cref="SocketsHttpHandler.ConnectCallback"/> that opens every outbound connection itself: it
/// resolves the host, drops the addresses <see cref="OutboundAddressPolicy"/> rejects and connects only to
/// the rest. Because the check runs per connection on the address actually dialled, it also covers
/// redirects and DNS answers that changed since the job was created. The handler must not use a proxy
/// (<c>UseProxy = false</c>), or the callback would see the proxy's address instead of the target's.
/// </summary>
public sealed class OutboundConnectGuard(OutboundAddressPolicy policy)
{
    /// <summary>Connects to an allowed address of the request's host; throws <see cref="HttpRequestException"/> when there is none.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        IPAddress[] resolved;
        try
        {
            resolved = await policy.ResolveAsync(endpoint.Host, cancellationToken);
        }
        catch (SocketException exception)
        {
            throw new HttpRequestException(HttpRequestError.NameResolutionError,
                $"The target host '{endpoint.Host}' could not be resolved: {exception.Message}", exception);
        }

        var allowed = resolved.Where(address => policy.RejectionReason(address) is null).ToArray();
        if (allowed.Length == 0)
        {
            var first = resolved[0];
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"The connection to '{endpoint.Host}' ({first}) was refused before connecting: it is a reserved address ({policy.RejectionReason(first)}) "
                + "that targets may not reach unless Targets:AllowedNetworks allows it.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Outbound;

namespace JobScheduler.Grains.Tests.Outbound;

/// <summary>
/// The call-time guard on real connections to loopback listeners this test owns: a rejected address gets no
/// connection at all, and a redirect to a rejected address is stopped too.
/// </summary>
public sealed class OutboundConnectGuardTests
{
    [Fact]
    public async Task RejectedAddress_NeverConnects()
    {
        using var listener = Listen(IPAddress.Loopback);
        using var client = ClientWith(new OutboundAddressPolicy([], allowLoopback: false), allowRedirects: false);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{Port(listener)}/run"));

        Assert.Contains("was refused before connecting", exception.Message);
        Assert.Contains("a reserved address (loopback)", exception.Message);
        await Task.Delay(100);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task AllowedAddress_Connects()
    {
        using var listener = Listen(IPAddress.Loopback);
        var server = ServeOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        using var client = ClientWith(new OutboundAddressPolicy(["127.0.0.1/32"], allowLoopback: false), allowRedirects: false);

        using var response = await client.GetAsync($"http://127.0.0.1:{Port(listener)}/run");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        await server;
    }

    [Fact]
    public async Task RedirectToRejectedAddress_IsStopped()
    {
        using var allowed = Listen(IPAddress.Loopback);
        using var forbidden = Listen(IPAddress.Parse("127.0.0.2"));
        var redirect = $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:{Port(forbidden)}/internal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        var server = ServeOnceAsync(allowed, redirect);
        using var client = ClientWith(new OutboundAddressPolicy(["127.0.0.1/32"], allowLoopback: false), allowRedirects: true);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{Port(allowed)}/start"));

        Assert.Contains("'127.0.0.2' (127.0.0.2) was refused before connecting", exception.Message);
        await server;
        await Task.Delay(100);
        Assert.False(forbidden.Pending());
    }

    private static HttpClient ClientWith(OutboundAddressPolicy policy, bool allowRedirects) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = allowRedirects,
            ConnectCallback = new OutboundConnectGuard(policy).ConnectAsync,
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };

    private static TcpListener Listen(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Accepts one connection, reads the request head and writes a canned response.</summary>
    private static async Task ServeOnceAsync(TcpListener listener, string response)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes(response));
        socket.Shutdown(SocketShutdown.Both);
    }
}

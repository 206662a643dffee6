using System.Net;
using System.Net.Sockets;

namespace JobScheduler.Testing;

/// <summary>
/// Free loopback ports for servers that start after the port is chosen. A port the kernel hands out for port 0
/// comes from its ephemeral range, which outgoing connections draw from too: a database connection opened before
/// the server binds can take the port first. So ports come from below that range, and each is checked by binding.
/// </summary>
public static class LoopbackPorts
{
    private const int Lowest = 20000;
    private const int DefaultEphemeralStart = 32768;
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A loopback port that is free now, outside the ephemeral range and not given out before by this process.</summary>
    public static int Next()
    {
        var below = EphemeralStart();
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 200 && below > Lowest; attempt++)
            {
                var port = Random.Shared.Next(Lowest, below);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        // No range below the ephemeral one (an unusual kernel setting): fall back to a port the kernel picks.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux), or 32768 when it cannot be read.</summary>
    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return DefaultEphemeralStart;
        }
    }
}

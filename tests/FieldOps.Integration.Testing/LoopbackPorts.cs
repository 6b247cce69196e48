using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FieldOps.Integration.Testing;

/// <summary>Loopback ports for the processes a test starts (the service, a private PostgreSQL).</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port free now, below the kernel's ephemeral range. A port handed out for port 0 comes from that range, from
    /// which every process also takes the local port of each outgoing connection: between this check and the child's
    /// own bind, another test's connection could take it (seen in CI: "cannot listen on http://127.0.0.1:43041: the
    /// address is already in use"). Below the range only other listeners compete, picked at random among ~12,000.
    /// </summary>
    public static int Free()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var tries = 0; tries < 100; tries++)
        {
            var port = Random.Shared.Next(Math.Max(1024, ephemeralStart - 12_000), ephemeralStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: another one
            }
        }
        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    /// <summary>The first port of the kernel's ephemeral range: Linux says it; elsewhere the IANA range (49152) is the usual one.</summary>
    public static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(range)
            && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
            return start;
        return 49_152;
    }
}

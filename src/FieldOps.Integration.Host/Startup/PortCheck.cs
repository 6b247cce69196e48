using System.Net;
using System.Net.Sockets;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Before anything starts: is an address the service will listen on already taken? Then `fieldops run` says so in one
/// line and exits 2, instead of starting its background services only to stop them again.
/// </summary>
internal static class PortCheck
{
    /// <summary>The first of <paramref name="urls"/> (separated by ';') whose port is in use, or null.</summary>
    public static string? FirstInUse(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Port == 0)
                continue;
            var address = uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _) ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed
                : null;
            if (address is not null && InUse(address, uri.Port))
                return url;
        }
        return null;
    }

    private static bool InUse(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // not ours to judge (e.g. an address this machine does not have): Kestrel reports it
        }
    }
}

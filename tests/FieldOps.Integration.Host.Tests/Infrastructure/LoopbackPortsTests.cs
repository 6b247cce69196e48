using System.Net;
using System.Net.Sockets;
using FieldOps.Integration.Testing;

namespace FieldOps.Integration.Host.Tests.Infrastructure;

/// <summary>
/// The port a test gives the process it starts must not come from the kernel's ephemeral range: any process's outgoing
/// connection can take such a port before the child binds it (CI: "cannot listen on http://127.0.0.1:43041: the
/// address is already in use").
/// </summary>
public sealed class LoopbackPortsTests
{
    [Fact]
    public void Free_IsBelowTheEphemeralRange_AndCanBeBound()
    {
        var ephemeralStart = LoopbackPorts.EphemeralRangeStart();

        for (var i = 0; i < 20; i++)
        {
            var port = LoopbackPorts.Free();

            Assert.InRange(port, 1024, ephemeralStart - 1);
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}

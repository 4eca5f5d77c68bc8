using System.Net;
using System.Net.Sockets;
using System.Text;
using Letterbox.Server.Imap;

namespace Letterbox.Server.Tests.Imap;

/// <summary>Failed logins count per remote address across connections (the delay cannot be reset by reconnecting).</summary>
public sealed class AddressFailureTests : TempStoreTests
{
    [Fact]
    public async Task Failures_from_one_address_add_up_over_connections()
    {
        var tracker = new LoginFailureTracker();
        var options = new ImapServerOptions { Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)], LoginFailureDelay = TimeSpan.Zero, LoginFailures = tracker };
        await using var server = new ImapServer(Store, options);
        await server.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(server.BoundEndPoints[0]);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            Assert.StartsWith("* OK ", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)), StringComparison.Ordinal);
            await stream.WriteAsync("a1 LOGIN alice wrong\r\n"u8.ToArray());
            Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        }
        Assert.Equal(3, tracker.GetFailures(new IPEndPoint(IPAddress.Loopback, 1)));
    }
}

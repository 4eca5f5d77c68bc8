using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Letterbox.Server.Tests.Imap;

public sealed class ImapServerTests : TempStoreTests
{
    private static async Task<(TcpClient Client, StreamReader Reader, Stream Stream)> ConnectAsync(ImapServer server)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.BoundEndPoints[0]);
        var stream = client.GetStream();
        return (client, new StreamReader(stream, Encoding.ASCII), stream);
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader)
        => await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Serves_over_loopback_and_refuses_connections_over_the_limit()
    {
        var options = new ImapServerOptions { Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)], MaxConnections = 1 };
        await using var server = new ImapServer(Store, options);
        await server.StartAsync(CancellationToken.None);
        Assert.NotEqual(0, server.BoundEndPoints[0].Port);

        var (first, firstReader, firstStream) = await ConnectAsync(server);
        using (first)
        {
            Assert.StartsWith("* OK [CAPABILITY ", await ReadLineAsync(firstReader), StringComparison.Ordinal);
            var (second, secondReader, _) = await ConnectAsync(server);
            using (second)
            {
                Assert.Equal("* BYE [UNAVAILABLE] Too many connections", await ReadLineAsync(secondReader));
                Assert.Null(await ReadLineAsync(secondReader));
            }
            await firstStream.WriteAsync("a1 LOGIN alice secret\r\n"u8.ToArray());
            Assert.StartsWith("a1 OK [CAPABILITY ", await ReadLineAsync(firstReader), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stop_sends_bye_to_idle_clients()
    {
        var options = new ImapServerOptions { Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)] };
        var server = new ImapServer(Store, options);
        await server.StartAsync(CancellationToken.None);
        var (client, reader, _) = await ConnectAsync(server);
        using (client)
        {
            Assert.StartsWith("* OK ", await ReadLineAsync(reader), StringComparison.Ordinal);
            await server.StopAsync(CancellationToken.None);
            Assert.Equal("* BYE Server shutting down", await ReadLineAsync(reader));
            Assert.Null(await ReadLineAsync(reader));
        }
        Assert.Equal(0, server.ConnectionCount);
        await server.DisposeAsync();
    }
}

using System.Net;
using System.Text;
using Letterbox.Server.Imap;

namespace Letterbox.Server.Tests.Imap;

/// <summary>Per-user, per-address session limit (<see cref="ImapServerOptions.MaxUserConnections"/>), answered
/// <c>NO [LIMIT]</c> at LOGIN/AUTHENTICATE (RFC 5530 §3), released when the session ends.</summary>
public sealed class UserConnectionLimitTests
{
    private const string LimitReply = "NO [LIMIT] Too many connections for this user from this address";

    [Fact]
    public async Task OverTheLimit_LoginAndAuthenticateAnswerNoLimit_UntilASessionEnds()
    {
        var options = new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, MaxUserConnections = 2 };
        await using var first = await ImapTestSession.StartAsync(options);
        await first.LoginAsync();
        await using var second = await first.ConnectAnotherAsync();
        await second.LoginAsync();
        await using var third = await first.ConnectAnotherAsync();

        Assert.Equal("x " + LimitReply, (await third.CommandAsync("x", "LOGIN alice secret")).TrimEnd());
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0secret"));
        Assert.Equal("y " + LimitReply, (await third.CommandAsync("y", "AUTHENTICATE PLAIN " + plain)).TrimEnd());
        Assert.StartsWith("z BAD", await third.CommandAsync("z", "SELECT INBOX")); // still not authenticated
        Assert.Equal(2, options.UserConnections.Count(first.User.Id, null));

        await first.SendAsync("q LOGOUT\r\n");
        await first.Run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, options.UserConnections.Count(first.User.Id, null));
        Assert.StartsWith("w OK", await third.CommandAsync("w", "LOGIN alice secret"));
    }

    [Fact]
    public async Task AWrongPassword_TakesNoSlot_AndADroppedConnectionReleasesIt()
    {
        var options = new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, MaxUserConnections = 1 };
        await using var owner = await ImapTestSession.StartAsync(options);
        Assert.Contains("NO [AUTHENTICATIONFAILED]", await owner.CommandAsync("a", "LOGIN alice wrong"));
        Assert.Equal(0, options.UserConnections.Count(owner.User.Id, null));
        var dropped = await owner.ConnectAnotherAsync();
        await dropped.LoginAsync();
        await using var waiting = await owner.ConnectAnotherAsync();
        Assert.Contains(LimitReply, await waiting.CommandAsync("b", "LOGIN alice secret"));
        await dropped.DisposeAsync(); // the client goes away without LOGOUT
        Assert.StartsWith("c OK", await waiting.CommandAsync("c", "LOGIN alice secret"));
    }

    [Fact]
    public void Counter_KeysByUserAndAddress_IgnoringPortAndV4Mapping()
    {
        var counter = new UserConnectionCounter();
        var v4 = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1000);
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 2000);
        var other = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 1000);
        var a = counter.TryAcquire(1, v4, 1);
        Assert.NotNull(a);
        Assert.Null(counter.TryAcquire(1, mapped, 1));
        using (var b = counter.TryAcquire(1, other, 1))
        using (var c = counter.TryAcquire(2, v4, 1))
        {
            Assert.NotNull(b);
            Assert.NotNull(c);
        }
        a.Dispose();
        a.Dispose(); // once only
        Assert.Equal(0, counter.Count(1, v4));
        var slots = new List<IDisposable>();
        for (var i = 0; i < 100; i++)
        {
            slots.Add(counter.TryAcquire(1, v4, 0)!); // zero: no limit
        }
        Assert.Equal(100, counter.Count(1, v4));
    }
}

using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap;

namespace Letterbox.Server.Tests.Imap;

/// <summary>IDLE (RFC 2177, RFC 9051 §6.3.13) and IMAP4rev2 SEARCH results (RFC 9051 §6.4.4).</summary>
public sealed class IdleTests
{
    private static ImapServerOptions Options(TimeSpan? keepalive = null) => new()
    {
        LoginFailureDelay = TimeSpan.Zero,
        IdlePollInterval = Timeout.InfiniteTimeSpan, // no polling: every update below is pushed by the change feed
        IdleKeepaliveInterval = keepalive ?? TimeSpan.FromMinutes(2),
    };

    private static async Task AppendAsync(ImapTestSession s, string subject)
    {
        var inbox = (await s.Store.GetMailboxAsync(s.User.Id, "INBOX"))!;
        await using var stager = await s.Store.StageAsync(1 << 20);
        await stager.WriteAsync(Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody\r\n"));
        var staged = await stager.CompleteAsync();
        await s.Store.AppendAsync(inbox.Id, [new AppendRequest(staged, MessageFlags.None, [], null)]);
    }

    [Fact]
    public async Task IdlePushesExistsForMailDeliveredByAnotherPathAndEndsOnDone()
    {
        await using var s = await ImapTestSession.StartAsync(Options());
        await s.LoginAsync();
        await s.CommandAsync("s", "SELECT INBOX");

        await s.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await s.ReadLineAsync());
        await AppendAsync(s, "pushed");
        Assert.Equal("* 1 EXISTS", await s.ReadLineAsync());

        await s.SendAsync("DONE\r\n");
        var end = await s.ReadUntilTaggedAsync("i");
        Assert.EndsWith("i OK IDLE terminated\r\n", end);
        Assert.Contains("n OK", await s.CommandAsync("n", "NOOP"));
    }

    [Fact]
    public async Task IdleSendsKeepalive()
    {
        await using var s = await ImapTestSession.StartAsync(Options(keepalive: TimeSpan.FromMilliseconds(40)));
        await s.LoginAsync();
        await s.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await s.ReadLineAsync());
        Assert.Equal("* OK Still here", await s.ReadLineAsync());
        await s.SendAsync("DONE\r\n");
        Assert.EndsWith("i OK IDLE terminated\r\n", await s.ReadUntilTaggedAsync("i"));
    }

    [Fact]
    public async Task AnyLineOtherThanDoneEndsIdleWithBad()
    {
        await using var s = await ImapTestSession.StartAsync(Options());
        await s.LoginAsync();
        await s.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await s.ReadLineAsync());
        await s.SendAsync("x NOOP\r\n");
        Assert.StartsWith("i BAD", (await s.ReadUntilTaggedAsync("i")).Split("\r\n")[^2]);
    }

    [Fact]
    public async Task Imap4Rev2SearchAnswersWithEsearch()
    {
        await using var s = await ImapTestSession.StartAsync(Options());
        await s.LoginAsync();
        await AppendAsync(s, "one");
        await AppendAsync(s, "two");
        await s.CommandAsync("e", "ENABLE IMAP4rev2");
        await s.CommandAsync("s", "SELECT INBOX");

        var all = await s.CommandAsync("a", "SEARCH ALL");
        Assert.Contains("* ESEARCH (TAG \"a\") ALL 1:2\r\n", all);
        Assert.DoesNotContain("* SEARCH", all);
        var none = await s.CommandAsync("b", "UID SEARCH SUBJECT nothing");
        Assert.Contains("* ESEARCH (TAG \"b\") UID\r\n", none);
    }
}

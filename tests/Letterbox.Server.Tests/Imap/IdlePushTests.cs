using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Server.Tests.Imap;

/// <summary>
/// IDLE pushed by the store's change feed (RFC 2177, RFC 9051 §6.3.13, §7.4.1): with polling off
/// (<see cref="ImapServerOptions.IdlePollInterval"/> infinite) an idler sees other sessions' APPEND, STORE and
/// EXPUNGE, and another process's APPEND; the watch follows SELECT/CLOSE/UNSELECT/LOGOUT/disconnect; the IDLE
/// timeout ends the connection with BYE.
/// </summary>
public sealed class IdlePushTests
{
    private static ImapServerOptions Options(TimeSpan? idleTimeout = null) => new()
    {
        LoginFailureDelay = TimeSpan.Zero,
        IdlePollInterval = Timeout.InfiniteTimeSpan,
        IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(29),
    };

    private static async Task StartIdleAsync(ImapTestSession s)
    {
        await s.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await s.ReadLineAsync());
    }

    private static async Task AppendDirectAsync(SqliteMailStore store, long mailboxId, string subject)
    {
        await using var stager = await store.StageAsync(1 << 20);
        await stager.WriteAsync(Encoding.ASCII.GetBytes($"Subject: {subject}\r\n\r\nbody\r\n"));
        var staged = await stager.CompleteAsync();
        await store.AppendAsync(mailboxId, [new AppendRequest(staged, MessageFlags.None, [], null)]);
    }

    private static string Append(string subject)
    {
        var message = $"Subject: {subject}\r\n\r\nbody\r\n";
        return $"APPEND INBOX {{{Encoding.ASCII.GetByteCount(message)}+}}\r\n{message}";
    }

    [Fact]
    public async Task Idle_IsWokenByAnotherSessionsAppendStoreAndExpunge_WithoutPolling()
    {
        await using var idler = await ImapTestSession.StartAsync(Options());
        await idler.LoginAsync();
        await idler.CommandAsync("a", Append("one"));
        await idler.CommandAsync("b", Append("two"));
        Assert.Contains("* 2 EXISTS", await idler.CommandAsync("s", "SELECT INBOX"));
        await using var other = await idler.ConnectAnotherAsync();
        await other.LoginAsync();
        await other.CommandAsync("s", "SELECT INBOX");

        await StartIdleAsync(idler);
        Assert.Contains("a OK", await other.CommandAsync("a", Append("three")));
        Assert.Equal("* 3 EXISTS", await idler.ReadLineAsync());

        Assert.Contains("b OK", await other.CommandAsync("b", "STORE 1 +FLAGS (\\Flagged)"));
        Assert.StartsWith("* 1 FETCH (FLAGS (\\Flagged)", await idler.ReadLineAsync());

        Assert.Contains("c OK", await other.CommandAsync("c", "STORE 2 +FLAGS.SILENT (\\Deleted)"));
        Assert.StartsWith("* 2 FETCH (FLAGS (\\Deleted)", await idler.ReadLineAsync());
        Assert.Contains("d OK", await other.CommandAsync("d", "EXPUNGE"));
        Assert.Equal("* 2 EXPUNGE", await idler.ReadLineAsync()); // expunges may be sent during IDLE (RFC 9051 §7.5.1)

        await idler.SendAsync("DONE\r\n");
        Assert.Equal("i OK IDLE terminated", await idler.ReadLineAsync());
        Assert.Equal("n OK NOOP completed", (await idler.CommandAsync("n", "NOOP")).TrimEnd());
    }

    [Fact]
    public async Task Idle_ChangeBetweenCommandsAndIdle_IsPushedAtOnce()
    {
        await using var idler = await ImapTestSession.StartAsync(Options());
        await idler.LoginAsync();
        await idler.CommandAsync("s", "SELECT INBOX");
        var inbox = (await idler.Store.GetMailboxAsync(idler.User.Id, "INBOX"))!;
        await AppendDirectAsync(idler.Store, inbox.Id, "before idle"); // signal set while no IDLE waits
        await StartIdleAsync(idler);
        Assert.Equal("* 1 EXISTS", await idler.ReadLineAsync());
        await idler.SendAsync("DONE\r\n");
        Assert.Equal("i OK IDLE terminated", await idler.ReadLineAsync());
    }

    [Fact]
    public async Task Idle_SeesAppendByAnotherStoreInstanceOnTheSameDirectory()
    {
        // Another process (letterbox import, LMTP) commits through its own connection; the store-wide watcher
        // notices the commit (PRAGMA data_version) and raises the feed (docs/storage.md).
        await using var idler = await ImapTestSession.StartAsync(Options());
        await idler.LoginAsync();
        await idler.CommandAsync("s", "SELECT INBOX");
        await StartIdleAsync(idler);

        await using (var foreign = await SqliteMailStore.OpenAsync(idler.Store.DataDirectory))
        {
            var inbox = (await foreign.GetMailboxAsync(idler.User.Id, "INBOX"))!;
            await AppendDirectAsync(foreign, inbox.Id, "from import");
        }
        Assert.Equal("* 1 EXISTS", await idler.ReadLineAsync());
        await idler.SendAsync("DONE\r\n");
        Assert.Equal("i OK IDLE terminated", await idler.ReadLineAsync());
    }

    [Fact]
    public async Task SelectedMailboxWatch_FollowsSelectExamineCloseUnselectLogoutAndDisconnect()
    {
        await using var s = await ImapTestSession.StartAsync(Options());
        var feed = s.Store.Feed;
        var inbox = (await s.Store.GetMailboxAsync(s.User.Id, "INBOX"))!.Id;
        var sent = (await s.Store.GetMailboxAsync(s.User.Id, "Sent"))!.Id;
        await s.LoginAsync();
        Assert.False(feed.HasWatchers);

        await s.CommandAsync("a", "SELECT INBOX");
        Assert.Equal(1, feed.MailboxWatcherCount(inbox));
        await s.CommandAsync("b", "SELECT Sent"); // reselect moves the watch
        Assert.Equal(0, feed.MailboxWatcherCount(inbox));
        Assert.Equal(1, feed.MailboxWatcherCount(sent));
        await s.CommandAsync("c", "UNSELECT");
        Assert.False(feed.HasWatchers);
        await s.CommandAsync("d", "EXAMINE INBOX");
        Assert.Equal(1, feed.MailboxWatcherCount(inbox));
        await s.CommandAsync("e", "CLOSE");
        Assert.False(feed.HasWatchers);
        await s.CommandAsync("f", "SELECT NoSuchMailbox");
        Assert.False(feed.HasWatchers);

        await using (var dropped = await s.ConnectAnotherAsync())
        {
            await dropped.LoginAsync();
            await dropped.CommandAsync("s", "SELECT INBOX");
            await StartIdleAsync(dropped);
            Assert.Equal(1, feed.MailboxWatcherCount(inbox));
        } // the client goes away in the middle of IDLE
        Assert.False(feed.HasWatchers);

        await s.CommandAsync("g", "SELECT INBOX");
        Assert.Equal(1, feed.MailboxWatcherCount(inbox));
        await s.SendAsync("h LOGOUT\r\n");
        await s.Run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(feed.HasWatchers);
    }

    [Fact]
    public async Task IdleTimeout_EndsTheConnectionWithBye()
    {
        await using var s = await ImapTestSession.StartAsync(Options(idleTimeout: TimeSpan.FromMilliseconds(200)));
        await s.LoginAsync();
        await s.CommandAsync("s", "SELECT INBOX");
        await StartIdleAsync(s);
        Assert.Equal("* BYE Disconnected for inactivity in IDLE", await s.ReadLineAsync());
        await s.AssertClosedAsync();
        Assert.False(s.Store.Feed.HasWatchers);
    }

    [Fact]
    public async Task ServerShutdown_EndsIdleWithOkThenBye()
    {
        await using var s = await ImapTestSession.StartAsync(Options());
        await s.LoginAsync();
        await StartIdleAsync(s);
        s.Connection.RequestShutdown();
        Assert.Equal("i OK IDLE terminated: server shutting down", await s.ReadLineAsync());
        Assert.Equal("* BYE Server shutting down", await s.ReadLineAsync());
        await s.AssertClosedAsync();
    }
}

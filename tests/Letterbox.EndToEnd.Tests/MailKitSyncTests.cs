using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// Three MailKit clients of one user on INBOX (RFC 9051 §5.2, §7.4.1, CLIENT-QUIRKS 1 and 7): B changes the
/// mailbox; A learns it on NOOP, C while idling. MailKit reports what it parsed as CountChanged, MessageExpunged and
/// MessageFlagsChanged events, and its folder Count must follow.
/// </summary>
public sealed class MailKitSyncTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private TestServer Server => fixture.Server;

    /// <summary>Records a client's INBOX events in order, as text.</summary>
    private sealed class EventLog
    {
        private readonly List<string> _events = [];
        private readonly SemaphoreSlim _arrived = new(0);

        public EventLog(IMailFolder folder)
        {
            folder.CountChanged += (_, _) => Add("count " + folder.Count);
            folder.MessageExpunged += (_, e) => Add("expunged " + e.Index);
            folder.MessageFlagsChanged += (_, e) => Add($"flags {e.Index} {e.Flags}");
        }

        public List<string> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        private void Add(string text)
        {
            lock (_events)
            {
                _events.Add(text);
            }
            _arrived.Release();
        }

        /// <summary>Waits until at least <paramref name="count"/> events were recorded in all (fails after a generous
        /// timeout).</summary>
        public async Task WaitForAsync(int count)
        {
            while (Events.Count < count)
            {
                Assert.True(await _arrived.WaitAsync(Patience), "expected " + count + " events, got: " + string.Join(", ", Events));
            }
        }
    }

    [Fact]
    public async Task Noop_and_idle_clients_follow_append_flags_expunge_and_move()
    {
        var (name, password) = await Server.AddUserAsync("mk");
        using var a = await Server.ConnectAsync();
        using var b = await Server.ConnectAsync();
        using var c = await Server.ConnectAsync();
        await a.AuthenticateAsync(name, password);
        await b.AuthenticateAsync(name, password);
        await c.AuthenticateAsync(name, password);
        for (var i = 1; i <= 3; i++)
        {
            await b.Inbox.AppendAsync(Messages.Text("m" + i));
        }
        await a.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await c.Inbox.OpenAsync(FolderAccess.ReadOnly);
        await b.Inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(3, a.Inbox.Count);
        var logA = new EventLog(a.Inbox);
        var logC = new EventLog(c.Inbox);

        using var stopIdle = new CancellationTokenSource();
        var idle = c.IdleAsync(stopIdle.Token);

        // 1. append: EXISTS 4.
        await b.Inbox.AppendAsync(Messages.Text("m4"));
        await logC.WaitForAsync(1);
        await a.NoOpAsync();
        Assert.Equal(["count 4"], logA.Events);

        // 2. flag change on message 2 (index 1).
        await b.Inbox.AddFlagsAsync(1, MessageFlags.Flagged, silent: true);
        await logC.WaitForAsync(2);
        await a.NoOpAsync();
        Assert.Equal(["count 4", "flags 1 Flagged"], logA.Events);

        // 3. expunge of message 2 (index 1); numbers after it shift down.
        await b.Inbox.AddFlagsAsync(new UniqueId(2), MessageFlags.Deleted, silent: true);
        await logC.WaitForAsync(3);
        await a.NoOpAsync();
        await b.Inbox.ExpungeAsync();
        await logC.WaitForAsync(4); // MailKit lowers Count on EXPUNGE without a CountChanged event
        await a.NoOpAsync();

        // 4. move out the message with UID 4 (now index 2), then move it back in (new UID 5 at the end).
        await b.Inbox.MoveToAsync(new UniqueId(4), b.GetFolder("Archive"));
        await logC.WaitForAsync(5);
        var archive = b.GetFolder("Archive");
        await archive.OpenAsync(FolderAccess.ReadWrite);
        await archive.MoveToAsync(new UniqueId(1), b.Inbox);
        await logC.WaitForAsync(6);
        await a.NoOpAsync();

        stopIdle.Cancel();
        await idle;

        // MailKit raises CountChanged for each EXISTS, and after a command that carried EXPUNGEs (NOOP); during IDLE
        // it lowers Count on EXPUNGE without the event.
        string[] expectedA = ["count 4", "flags 1 Flagged", "flags 1 Flagged, Deleted", "expunged 1", "count 3", "expunged 2", "count 3"];
        Assert.Equal(expectedA, logA.Events);
        string[] expectedC = ["count 4", "flags 1 Flagged", "flags 1 Flagged, Deleted", "expunged 1", "expunged 2", "count 3"];
        Assert.Equal(expectedC, logC.Events);
        Assert.Equal(3, a.Inbox.Count);
        Assert.Equal(3, c.Inbox.Count);
        var uids = await a.Inbox.SearchAsync(SearchQuery.All);
        Assert.Equal([1u, 3u, 5u], uids.Select(u => u.Id));
    }
}

using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap;

namespace Letterbox.Server.Tests.Imap;

/// <summary>
/// NOTIFY (RFC 5465) transcripts: changes made through the store (another session, delivery) reach a NOTIFY session
/// between its commands — each expected line is awaited with the session's read timeout, never a sleep.
/// </summary>
public sealed class NotifyTests
{
    private static async Task<ImapTestSession> StartAsync(int queueLimit = 1000)
    {
        var s = await ImapTestSession.StartAsync(new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, NotifyQueueLimit = queueLimit });
        await s.LoginAsync();
        return s;
    }

    private static async Task<long> MailboxIdAsync(ImapTestSession s, string name) => (await s.Store.GetMailboxAsync(s.User.Id, name))!.Id;

    private static async Task<uint> UidValidityAsync(ImapTestSession s, string name) => (await s.Store.GetMailboxAsync(s.User.Id, name))!.UidValidity;

    private static async Task AppendAsync(ImapTestSession s, string mailbox, MessageFlags flags = MessageFlags.None)
    {
        await using var stager = await s.Store.StageAsync(1 << 20);
        await stager.WriteAsync(Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nbody\r\n"));
        var staged = await stager.CompleteAsync();
        await s.Store.AppendAsync(await MailboxIdAsync(s, mailbox), [new AppendRequest(staged, flags, [], null)]);
    }

    [Fact]
    public async Task CapabilityAdvertisesNotify()
    {
        await using var s = await StartAsync();
        Assert.Contains(" NOTIFY", await s.CommandAsync("c", "CAPABILITY"), StringComparison.Ordinal);
    }

    /// <summary>§5.2: a message delivered to another watched mailbox gives <c>* STATUS</c> while no command runs.</summary>
    [Fact]
    public async Task AppendToAnotherMailboxGivesStatusBetweenCommands()
    {
        await using var s = await StartAsync();
        await s.CommandAsync("s", "SELECT INBOX");
        Assert.Equal("n OK NOTIFY completed\r\n", await s.CommandAsync("n", "NOTIFY SET (selected (MessageNew MessageExpunge)) (personal (MessageNew MessageExpunge))"));
        await AppendAsync(s, "Archive");
        var validity = await UidValidityAsync(s, "Archive");
        Assert.Equal($"* STATUS Archive (MESSAGES 1 UIDNEXT 2 UIDVALIDITY {validity} UNSEEN 1)", await s.ReadLineAsync());
        await AppendAsync(s, "Archive", MessageFlags.Seen);
        Assert.Equal($"* STATUS Archive (MESSAGES 2 UIDNEXT 3 UIDVALIDITY {validity} UNSEEN 1)", await s.ReadLineAsync());
        Assert.Equal("z OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§3.1 STATUS indicator: one STATUS per watched mailbox before the tagged OK; with CONDSTORE enabled it
    /// carries HIGHESTMODSEQ (§5.2).</summary>
    [Fact]
    public async Task StatusIndicatorReportsEveryWatchedMailbox()
    {
        await using var s = await StartAsync();
        await AppendAsync(s, "Trash");
        // HIGHESTMODSEQ only when CONDSTORE could be enabled (it is enabled only once advertised).
        var condstore = (await s.CommandAsync("e", "ENABLE CONDSTORE")).Contains("* ENABLED CONDSTORE", StringComparison.Ordinal);
        var reply = await s.CommandAsync("n", "NOTIFY SET STATUS (mailboxes (Trash Sent Nonexistent) (MessageNew MessageExpunge))");
        var sent = await UidValidityAsync(s, "Sent");
        var trash = await UidValidityAsync(s, "Trash");
        var trashModSeq = (await s.Store.GetStatusAsync(await MailboxIdAsync(s, "Trash"))).HighestModSeq;
        Assert.Equal(
            $"* STATUS Sent (MESSAGES 0 UIDNEXT 1 UIDVALIDITY {sent} UNSEEN 0{(condstore ? " HIGHESTMODSEQ 1" : "")})\r\n"
            + $"* STATUS Trash (MESSAGES 1 UIDNEXT 2 UIDVALIDITY {trash} UNSEEN 1{(condstore ? $" HIGHESTMODSEQ {trashModSeq}" : "")})\r\n"
            + "n OK NOTIFY completed\r\n", reply);
    }

    /// <summary>§5.2, §5.3, §6.1.1: in the selected mailbox, EXISTS then FETCH with the requested attributes, and
    /// EXPUNGE, all while no command is in progress.</summary>
    [Fact]
    public async Task SelectedMailboxGetsExistsFetchAndExpungeBetweenCommands()
    {
        await using var s = await StartAsync();
        await s.CommandAsync("s", "SELECT INBOX");
        await s.CommandAsync("n", "NOTIFY SET (selected (MessageNew (UID FLAGS) MessageExpunge FlagChange))");
        await AppendAsync(s, "INBOX", MessageFlags.Flagged);
        Assert.Equal("* 1 EXISTS", await s.ReadLineAsync());
        Assert.Equal(@"* 1 FETCH (UID 1 FLAGS (\Flagged))", await s.ReadLineAsync());
        var inbox = await MailboxIdAsync(s, "INBOX");
        await s.Store.StoreFlagsAsync(inbox, [1], FlagOperation.Add, MessageFlags.Deleted, []);
        Assert.Equal(@"* 1 FETCH (FLAGS (\Flagged \Deleted) UID 1)", await s.ReadLineAsync());
        await s.Store.ExpungeAsync(inbox, [1]);
        Assert.Equal("* 1 EXPUNGE", await s.ReadLineAsync());
        Assert.Equal("z OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§6.1.2 SELECTED-DELAYED: EXPUNGE waits for a command that may carry it (RFC 9051 §7.5.1); here NOOP.
    /// A FETCH by sequence number in between still sees the message.</summary>
    [Fact]
    public async Task SelectedDelayedHoldsExpungeUntilNoop()
    {
        await using var s = await StartAsync();
        await AppendAsync(s, "INBOX");
        await AppendAsync(s, "INBOX");
        await s.CommandAsync("s", "SELECT INBOX");
        await s.CommandAsync("n", "NOTIFY SET (selected-delayed (MessageNew MessageExpunge)) (mailboxes Trash (MessageNew MessageExpunge))");
        var inbox = await MailboxIdAsync(s, "INBOX");
        await s.Store.StoreFlagsAsync(inbox, [1], FlagOperation.Add, MessageFlags.Deleted, []);
        await s.Store.ExpungeAsync(inbox, [1]);
        await AppendAsync(s, "Trash"); // a later event, so the reads below know the expunge was seen and held
        var line = await s.ReadLineAsync();
        if (line == @"* 1 FETCH (FLAGS (\Deleted) UID 1)")
        {
            line = await s.ReadLineAsync(); // delivered when the session saw the flag change before the expunge
        }
        Assert.StartsWith("* STATUS Trash (MESSAGES 1 ", line, StringComparison.Ordinal);
        Assert.Equal("* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nf OK FETCH completed\r\n", await s.CommandAsync("f", "FETCH 1:2 (UID)"));
        Assert.Equal("* 1 EXPUNGE\r\nz OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§5.4, §5.5: another session's CREATE, RENAME, SUBSCRIBE and DELETE give LIST responses (OLDNAME for
    /// a rename, \NonExistent for a deletion); this session's own CREATE does not (§5 SHOULD NOT).</summary>
    [Fact]
    public async Task MailboxNameAndSubscriptionChangesGiveList()
    {
        await using var s = await StartAsync();
        await s.CommandAsync("n", "NOTIFY SET (personal (MailboxName SubscriptionChange))");
        await s.Store.CreateMailboxAsync(s.User.Id, "Projects");
        Assert.Equal("* LIST () \"/\" Projects", await s.ReadLineAsync());
        await s.Store.RenameMailboxAsync(s.User.Id, "Projects", "Work");
        Assert.Equal("* LIST () \"/\" Work (\"OLDNAME\" (Projects))", await s.ReadLineAsync());
        await s.Store.SetSubscribedAsync(s.User.Id, "Work", true);
        Assert.Equal("* LIST (\\Subscribed) \"/\" Work", await s.ReadLineAsync());
        await s.Store.DeleteMailboxAsync(s.User.Id, "Work");
        Assert.Equal("* LIST (\\NonExistent \\Subscribed) \"/\" Work", await s.ReadLineAsync());

        Assert.Equal("c OK CREATE completed\r\n", await s.CommandAsync("c", "CREATE Mine"));
        Assert.Equal("z OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§3.1 NOTIFY NONE: no more notifications.</summary>
    [Fact]
    public async Task NotifyNoneStops()
    {
        await using var s = await StartAsync();
        await s.CommandAsync("n", "NOTIFY SET (personal (MessageNew MessageExpunge MailboxName))");
        Assert.Equal("o OK NOTIFY completed\r\n", await s.CommandAsync("o", "NOTIFY NONE"));
        await AppendAsync(s, "Archive");
        await s.Store.CreateMailboxAsync(s.User.Id, "Quiet");
        Assert.Equal("z OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§5.8: more events than the queue holds while a command is in progress (an APPEND waiting for its
    /// literal) give <c>* OK [NOTIFICATIONOVERFLOW]</c>, and NOTIFY is off afterwards.</summary>
    [Fact]
    public async Task OverflowTurnsNotifyOff()
    {
        await using var s = await StartAsync(queueLimit: 2);
        await s.CommandAsync("n", "NOTIFY SET (personal (MessageNew MessageExpunge))");
        await s.SendAsync("x APPEND Drafts {5}\r\n");
        Assert.Equal("+ Ready for literal data", await s.ReadLineAsync());
        await AppendAsync(s, "Archive");
        await AppendAsync(s, "Trash");
        await AppendAsync(s, "Archive");
        await s.SendAsync("hello\r\n");
        var reply = await s.ReadUntilTaggedAsync("x");
        Assert.StartsWith("* OK [NOTIFICATIONOVERFLOW] ", reply, StringComparison.Ordinal);
        Assert.Contains("x OK [APPENDUID ", reply, StringComparison.Ordinal);
        await AppendAsync(s, "Archive");
        Assert.Equal("z OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§3.1: unsupported events are refused with NO [BADEVENT] naming the supported ones; the grammar's
    /// rules give BAD (§5, §6.1, §8).</summary>
    [Theory]
    [InlineData("NOTIFY SET (personal (MailboxMetadataChange))", "b NO [BADEVENT (MessageNew MessageExpunge FlagChange AnnotationChange MailboxName SubscriptionChange)] Unsupported event MailboxMetadataChange")]
    [InlineData("NOTIFY SET (personal (MessageNew))", "b BAD MessageNew and MessageExpunge must be given together (RFC 5465 §5)")]
    [InlineData("NOTIFY SET (selected (MailboxName))", "b BAD SELECTED and SELECTED-DELAYED take only message events (RFC 5465 §6.1)")]
    [InlineData("NOTIFY SET", "b BAD")]
    [InlineData("NOTIFY FOO", "b BAD Expected NOTIFY SET or NOTIFY NONE")]
    public async Task RefusalsAreNoOrBad(string command, string expected)
    {
        await using var s = await StartAsync();
        var reply = await s.CommandAsync("b", command);
        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
        Assert.Equal("z OK NOOP completed\r\n", await s.CommandAsync("z", "NOOP"));
    }

    /// <summary>§4: IDLE delivers the same notifications.</summary>
    [Fact]
    public async Task IdleDeliversNotifications()
    {
        await using var s = await StartAsync();
        await s.CommandAsync("n", "NOTIFY SET (subtree Archive (MessageNew MessageExpunge))");
        await s.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await s.ReadLineAsync());
        await AppendAsync(s, "Archive");
        Assert.StartsWith("* STATUS Archive (MESSAGES 1 UIDNEXT 2 ", await s.ReadLineAsync(), StringComparison.Ordinal);
        await s.SendAsync("DONE\r\n");
        Assert.EndsWith("i OK IDLE terminated\r\n", await s.ReadUntilTaggedAsync("i"));
    }

    [Fact]
    public async Task NotifyNeedsLogin()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.StartsWith("b BAD NOTIFY is only valid", await s.CommandAsync("b", "NOTIFY NONE"), StringComparison.Ordinal);
    }
}

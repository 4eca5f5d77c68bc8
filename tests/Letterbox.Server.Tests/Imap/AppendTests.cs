namespace Letterbox.Server.Tests.Imap;

public sealed class AppendTests
{
    private const string Message = "Subject: hi\r\n\r\nHello\r\n";

    [Fact]
    public async Task Append_with_synchronizing_literal_returns_appenduid()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        var inbox = (await s.Store.GetMailboxAsync(s.User.Id, "INBOX"))!;
        await s.SendAsync($"a1 APPEND INBOX (\\Seen) {{{Message.Length}}}\r\n");
        Assert.Equal("+ Ready for literal data", await s.ReadLineAsync());
        await s.SendAsync(Message + "\r\n");
        Assert.Equal($"a1 OK [APPENDUID {inbox.UidValidity} {inbox.UidNext}] APPEND completed\r\n", await s.ReadUntilTaggedAsync("a1"));
        var status = await s.CommandAsync("a2", "STATUS INBOX (MESSAGES UNSEEN SIZE)");
        Assert.Equal($"* STATUS INBOX (MESSAGES 1 UNSEEN 0 SIZE {Message.Length})\r\na2 OK STATUS completed\r\n", status);
    }

    [Fact]
    public async Task Append_with_literal_plus_and_multiappend()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        var sent = (await s.Store.GetMailboxAsync(s.User.Id, "Sent"))!;
        await s.SendAsync($"a1 APPEND Sent {{{Message.Length}+}}\r\n{Message} (\\Draft) {{{Message.Length}+}}\r\n{Message}\r\n");
        Assert.Equal($"a1 OK [APPENDUID {sent.UidValidity} {sent.UidNext}:{sent.UidNext + 1}] APPEND completed\r\n", await s.ReadUntilTaggedAsync("a1"));
    }

    [Fact]
    public async Task Append_to_missing_mailbox_is_trycreate()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        await s.SendAsync($"a1 APPEND Nowhere {{{Message.Length}+}}\r\n{Message}\r\n");
        Assert.Equal("a1 NO [TRYCREATE] Mailbox does not exist\r\n", await s.ReadUntilTaggedAsync("a1"));
        Assert.Equal("a2 OK NOOP completed\r\n", await s.CommandAsync("a2", "NOOP"));
    }

    [Fact]
    public async Task Append_before_login_is_bad()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync($"a1 APPEND INBOX {{{Message.Length}+}}\r\n{Message}\r\n");
        Assert.Equal("a1 BAD APPEND is only valid in the authenticated state\r\n", await s.ReadUntilTaggedAsync("a1"));
    }
}

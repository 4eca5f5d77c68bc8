namespace Letterbox.Server.Tests.Imap;

/// <summary>MULTIAPPEND (RFC 3502): several messages in one APPEND, appended atomically with one APPENDUID set.</summary>
public sealed class MultiAppendTests
{
    [Fact]
    public async Task TwoMessagesInOneAppendGetConsecutiveUids()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.Contains(" MULTIAPPEND ", await s.CommandAsync("c", "CAPABILITY"));
        await s.LoginAsync();
        const string one = "Subject: one\r\n\r\n1\r\n";
        const string two = "Subject: two\r\n\r\n2\r\n";
        var reply = await s.CommandAsync("a", $"APPEND INBOX (\\Seen) {{{one.Length}+}}\r\n{one} {{{two.Length}+}}\r\n{two}");
        Assert.Matches(@"a OK \[APPENDUID \d+ 1:2\]", reply);
        var status = await s.CommandAsync("s", "STATUS INBOX (MESSAGES UNSEEN)");
        Assert.Contains("* STATUS INBOX (MESSAGES 2 UNSEEN 1)", status);
    }
}

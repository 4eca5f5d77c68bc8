using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Raw transcripts over a plain TCP connection, byte-exact where the RFC fixes the syntax.</summary>
public sealed class TranscriptTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private async Task<RawImapClient> LoggedInAsync()
    {
        var (name, password) = await Server.AddUserAsync("raw");
        var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        return raw;
    }

    /// <summary>RFC 9051 §7.1.1 greeting: untagged OK, here with a CAPABILITY response code (§7.1).</summary>
    [Fact]
    public async Task Greeting_is_untagged_ok()
    {
        await using var raw = await Server.ConnectRawAsync();
        Assert.StartsWith("* OK ", raw.Greeting, StringComparison.Ordinal);
        if (raw.Greeting.StartsWith("* OK [CAPABILITY ", StringComparison.Ordinal))
        {
            Assert.Contains(" IMAP4rev2", raw.Greeting[..raw.Greeting.IndexOf(']', StringComparison.Ordinal)], StringComparison.Ordinal);
        }
    }

    /// <summary>RFC 9051 §5.5: several commands sent in one packet are all answered, in order, each with its own
    /// tagged response.</summary>
    [Fact]
    public async Task Pipelined_commands_answered_in_order()
    {
        await using var raw = await LoggedInAsync();
        await raw.WriteAsync("p1 NOOP\r\np2 SELECT INBOX\r\np3 FETCH 1:* FLAGS\r\np4 CAPABILITY\r\np5 NOOP\r\n");
        var r1 = await raw.ReadResponseAsync("p1");
        Assert.StartsWith("p1 OK", r1.Tagged, StringComparison.Ordinal);
        Assert.Empty(r1.Untagged);
        var r2 = await raw.ReadResponseAsync("p2");
        Assert.StartsWith("p2 OK [READ-WRITE]", r2.Tagged, StringComparison.Ordinal);
        Assert.Contains("* 0 EXISTS", r2.Untagged);
        var r3 = await raw.ReadResponseAsync("p3");
        Assert.StartsWith("p3 OK", r3.Tagged, StringComparison.Ordinal);
        Assert.Empty(r3.Untagged);
        var r4 = await raw.ReadResponseAsync("p4");
        Assert.StartsWith("* CAPABILITY ", Assert.Single(r4.Untagged), StringComparison.Ordinal);
        var r5 = await raw.ReadResponseAsync("p5");
        Assert.StartsWith("p5 OK", r5.Tagged, StringComparison.Ordinal);
    }

    /// <summary>RFC 9051 §7.1.3 BAD: malformed commands get a tagged BAD (an untagged BAD when there is no usable
    /// tag) and the connection stays usable; an empty line before a command is tolerated (CLIENT-QUIRKS 10).</summary>
    [Theory]
    [InlineData("b1 FETCH")]
    [InlineData("b1 FETCH 1 (FLAGS")]
    [InlineData("b1 SELECT")]
    [InlineData("b1 STORE 1 +FLAGS")]
    [InlineData("b1 FETCH x:y FLAGS")]
    [InlineData("b1 SEARCH (FROM")]
    [InlineData("b1 LOGIN a b c")]
    [InlineData("b1 LIST \"\"")]
    [InlineData("b1 XYZZY")]
    [InlineData("b1 UID FROB 1")]
    [InlineData("b1 FETCH 0 FLAGS")]
    [InlineData("b1 CREATE \"unterminated")]
    public async Task Malformed_command_is_bad_and_connection_survives(string command)
    {
        await using var raw = await LoggedInAsync();
        Assert.True((await raw.CommandAsync("s0", "SELECT INBOX")).IsOk);
        var response = await raw.CommandAsync("b1", command["b1 ".Length..]);
        Assert.StartsWith("b1 BAD", response.Tagged, StringComparison.Ordinal);
        var after = await raw.CommandAsync("ok1", "NOOP");
        Assert.True(after.IsOk, after.ToString());
        await raw.WriteAsync("\r\n");
        Assert.True((await raw.CommandAsync("ok2", "NOOP")).IsOk);
    }

    /// <summary>RFC 9051 §7.1.3: a line without a valid tag gets an untagged "* BAD" (or a tagged BAD) and the
    /// connection stays usable.</summary>
    [Fact]
    public async Task Untaggable_garbage_is_bad()
    {
        await using var raw = await LoggedInAsync();
        await raw.WriteAsync("*** \r\n");
        var line = await raw.ReadLineAsync();
        Assert.Contains(" BAD", line, StringComparison.Ordinal);
        Assert.True((await raw.CommandAsync("ok", "NOOP")).IsOk);
    }

    /// <summary>RFC 9051 §4.3 / §7.5: a synchronizing literal is answered with a "+" continuation before the
    /// client sends the data; here in LOGIN and CREATE.</summary>
    [Fact]
    public async Task Synchronizing_literal_gets_continuation()
    {
        var (name, password) = await Server.AddUserAsync("lit");
        await using var raw = await Server.ConnectRawAsync();
        var user = Encoding.UTF8.GetBytes(name);
        await raw.WriteAsync($"a1 LOGIN {{{user.Length}}}\r\n");
        Assert.StartsWith("+", await raw.ReadLineAsync(), StringComparison.Ordinal);
        await raw.WriteAsync([.. user, .. Encoding.ASCII.GetBytes($" {{{password.Length}}}\r\n")]);
        Assert.StartsWith("+", await raw.ReadLineAsync(), StringComparison.Ordinal);
        await raw.WriteAsync(password + "\r\n");
        var login = await raw.ReadResponseAsync("a1");
        Assert.True(login.IsOk, login.ToString());

        var message = Messages.Raw("Subject: sync literal", "", "body");
        await raw.WriteAsync($"a2 APPEND INBOX (\\Seen) {{{message.Length}}}\r\n");
        Assert.StartsWith("+", await raw.ReadLineAsync(), StringComparison.Ordinal);
        await raw.WriteAsync([.. message, (byte)'\r', (byte)'\n']);
        var append = await raw.ReadResponseAsync("a2");
        Assert.StartsWith("a2 OK [APPENDUID ", append.Tagged, StringComparison.Ordinal);
    }

    /// <summary>RFC 7888 LITERAL+: a non-synchronizing literal "{n+}" needs no continuation; RFC 4315 §3
    /// APPENDUID carries UIDVALIDITY and the new UID.</summary>
    [Fact]
    public async Task Literal_plus_append()
    {
        await using var raw = await LoggedInAsync();
        var status = await raw.CommandAsync("s1", "STATUS INBOX (UIDVALIDITY)");
        var validity = status.Untagged.Single().Split("UIDVALIDITY ")[1].TrimEnd(')');
        var message = Messages.Raw("Subject: literal plus", "", "body");
        var append = await raw.AppendAsync("a1", "INBOX", message);
        Assert.StartsWith($"a1 OK [APPENDUID {validity} 1]", append.Tagged, StringComparison.Ordinal);
        Assert.Empty(append.Untagged);
        var second = await raw.AppendAsync("a2", "INBOX", message, "(\\Flagged $Work)");
        Assert.StartsWith($"a2 OK [APPENDUID {validity} 2]", second.Tagged, StringComparison.Ordinal);
        Assert.True((await raw.CommandAsync("s2", "SELECT INBOX")).IsOk);
        var fetch = await raw.CommandAsync("f1", "FETCH 2 (FLAGS BODY.PEEK[])");
        var line = Assert.Single(fetch.Untagged);
        Assert.Contains("\\Flagged", line, StringComparison.Ordinal);
        Assert.Contains("$Work", line, StringComparison.Ordinal);
        Assert.Contains($"BODY[] {{{message.Length}}}\r\n{Encoding.ASCII.GetString(message)})", line, StringComparison.Ordinal);
    }

    /// <summary>RFC 9051 §7.1 [TOOBIG] / RFC 7889 APPENDLIMIT / RFC 4469: a synchronizing literal larger than the
    /// server accepts is refused with NO [TOOBIG] (or [LIMIT]) before the data is sent, and the connection stays
    /// usable.</summary>
    [Fact]
    public async Task Too_large_literal_is_refused()
    {
        await using var raw = await LoggedInAsync();
        await raw.WriteAsync("t1 APPEND INBOX {999999999999}\r\n");
        var line = await raw.ReadLineAsync();
        Assert.False(line.StartsWith('+'), "server asked for a 1 TB literal: " + line);
        Assert.True(line.StartsWith("t1 NO [TOOBIG]", StringComparison.Ordinal) || line.StartsWith("t1 NO [LIMIT]", StringComparison.Ordinal)
            || line.StartsWith("t1 BAD [TOOBIG]", StringComparison.Ordinal) || line.StartsWith("t1 BAD [LIMIT]", StringComparison.Ordinal), line);
        Assert.True((await raw.CommandAsync("ok", "NOOP")).IsOk);
    }

    /// <summary>RFC 9051 §4 / §7.1.3: a command line longer than the server's limit (64 KiB by default) is
    /// answered BAD without buffering it, and the connection stays usable for the next command.</summary>
    [Fact]
    public async Task Too_long_line_is_bad_and_connection_survives()
    {
        await using var raw = await LoggedInAsync();
        var longLine = "l1 NOOP " + new string('x', 200_000) + "\r\n";
        await raw.WriteAsync(longLine);
        var response = await raw.ReadLineAsync();
        Assert.Contains(" BAD", response, StringComparison.Ordinal);
        Assert.True(response.StartsWith("l1 BAD", StringComparison.Ordinal) || response.StartsWith("* BAD", StringComparison.Ordinal), response);
        var after = await raw.CommandAsync("ok", "NOOP");
        Assert.True(after.IsOk, after.ToString());
    }

    /// <summary>RFC 9051 §9 seq-number ("*" is the largest UID in use) and CLIENT-QUIRKS 6: UID FETCH n:* with
    /// n = UIDNEXT returns the highest message; also after an expunge.</summary>
    [Fact]
    public async Task Uid_fetch_uidnext_star_returns_highest()
    {
        await using var raw = await LoggedInAsync();
        for (var i = 0; i < 3; i++) Assert.True((await raw.AppendAsync("a" + i, "INBOX", Messages.Raw($"Subject: {i}", "", "x"))).IsOk);
        var select = await raw.CommandAsync("s1", "SELECT INBOX");
        Assert.Contains(select.Untagged, l => l.StartsWith("* OK [UIDNEXT 4]", StringComparison.Ordinal));
        var fetch = await raw.CommandAsync("f1", "UID FETCH 4:* (FLAGS)");
        Assert.True(fetch.IsOk, fetch.ToString());
        var line = Assert.Single(fetch.Untagged);
        Assert.StartsWith("* 3 FETCH (", line, StringComparison.Ordinal);
        Assert.Contains("UID 3", line, StringComparison.Ordinal);

        Assert.True((await raw.CommandAsync("d1", "UID STORE 3 +FLAGS.SILENT (\\Deleted)")).IsOk);
        Assert.True((await raw.CommandAsync("d2", "EXPUNGE")).IsOk);
        var again = await raw.CommandAsync("f2", "UID FETCH 4:* (UID)");
        Assert.Equal(["* 2 FETCH (UID 2)"], again.Untagged);
        var search = await raw.CommandAsync("f3", "UID SEARCH UID 10:*");
        Assert.Equal(["* SEARCH 2"], search.Untagged);
    }

    /// <summary>RFC 9051 §6.1.3 / CLIENT-QUIRKS 8: "* BYE" precedes the tagged LOGOUT OK; upper-case keywords;
    /// lower-case commands accepted (CLIENT-QUIRKS 10).</summary>
    [Fact]
    public async Task Lower_case_commands_and_logout_order()
    {
        await using var raw = await LoggedInAsync();
        var list = await raw.CommandAsync("l1", "list (subscribed) \"\" \"*\" return (special-use)");
        Assert.True(list.IsOk, list.ToString());
        Assert.Contains(list.Untagged, l => l.StartsWith("* LIST (", StringComparison.Ordinal) && l.Contains("\\Sent", StringComparison.Ordinal));
        var select = await raw.CommandAsync("l2", "select inbox");
        Assert.True(select.IsOk, select.ToString());
        Assert.Contains("* 0 EXISTS", select.Untagged);
        var logout = await raw.CommandAsync("l3", "logout");
        Assert.StartsWith("* BYE", Assert.Single(logout.Untagged), StringComparison.Ordinal);
        Assert.StartsWith("l3 OK", logout.Tagged, StringComparison.Ordinal);
    }
}

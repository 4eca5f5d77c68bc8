namespace Letterbox.Server.Tests.Imap;

public sealed class SessionTests
{
    // An in-process session: no TLS upgrade possible, plaintext auth allowed (treated like loopback).
    private static readonly string Caps = Letterbox.Server.Imap.ImapCapabilities.For(startTlsAvailable: false, plaintextAuthAllowed: true);

    [Fact]
    public void Capability_list_has_the_framework_extensions_and_not_starttls()
    {
        foreach (var name in "IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE NAMESPACE CHILDREN LIST-EXTENDED LIST-STATUS SPECIAL-USE".Split(' '))
        {
            Assert.Contains(name, Letterbox.Server.Imap.ImapCapabilities.All);
        }
        Assert.StartsWith("IMAP4rev1 IMAP4rev2 ", Caps, StringComparison.Ordinal);
        Assert.Contains(" AUTH=PLAIN", Caps, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", Caps, StringComparison.Ordinal);
        Assert.DoesNotContain("LOGINDISABLED", Caps, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true, "", "STARTTLS LOGINDISABLED")]
    [InlineData(true, true, "STARTTLS AUTH=PLAIN", "LOGINDISABLED")]
    [InlineData(true, false, "STARTTLS LOGINDISABLED", "AUTH=PLAIN")]
    [InlineData(false, false, "LOGINDISABLED", "STARTTLS AUTH=PLAIN")]
    public void Capability_line_depends_on_the_connection_security(bool startTls, bool plaintext, string present, string absent)
    {
        var atoms = Letterbox.Server.Imap.ImapCapabilities.For(startTls, plaintext).Split(' ');
        Assert.Equal("IMAP4rev1", atoms[0]);
        foreach (var name in present.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(name, atoms);
        }
        foreach (var name in absent.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.DoesNotContain(name, atoms);
        }
    }

    [Fact]
    public async Task Greeting_carries_capabilities()
    {
        await using var s = await ImapTestSession.StartAsync(readGreeting: false);
        Assert.Equal($"* OK [CAPABILITY {Caps}] Letterbox ready", await s.ReadLineAsync());
    }

    [Fact]
    public async Task Capability_lists_advertised_names_without_starttls()
    {
        await using var s = await ImapTestSession.StartAsync();
        var reply = await s.CommandAsync("a1", "CAPABILITY");
        Assert.Equal($"* CAPABILITY {Caps}\r\na1 OK CAPABILITY completed\r\n", reply);
        Assert.DoesNotContain("STARTTLS", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_is_refused_with_bad_when_the_connection_cannot_upgrade()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.Equal("a1 BAD STARTTLS is not available on this connection\r\n", await s.CommandAsync("a1", "STARTTLS"));
        Assert.Equal("a2 OK NOOP completed\r\n", await s.CommandAsync("a2", "NOOP"));
    }

    [Fact]
    public async Task Command_in_wrong_state_is_bad_naming_the_state_and_session_continues()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.Equal("a1 BAD CREATE is only valid in the authenticated state\r\n", await s.CommandAsync("a1", "CREATE foo"));
        await s.LoginAsync();
        Assert.Equal("a2 BAD LOGIN is only valid in the not authenticated state\r\n", await s.CommandAsync("a2", "LOGIN alice secret"));
        Assert.Equal("a3 OK NOOP completed\r\n", await s.CommandAsync("a3", "NOOP"));
    }

    [Fact]
    public async Task Unknown_command_is_bad_and_connection_stays_usable()
    {
        await using var s = await ImapTestSession.StartAsync();
        var reply = await s.CommandAsync("a1", "FROBNICATE x y");
        Assert.StartsWith("a1 BAD ", reply, StringComparison.Ordinal);
        Assert.Equal("a2 OK NOOP completed\r\n", await s.CommandAsync("a2", "NOOP"));
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync("p1 NOOP\r\np2 LOGIN alice secret\r\np3 CREATE Work\r\np4 STATUS Work (MESSAGES)\r\np5 BOGUS\r\np6 NOOP\r\n");
        var reply = await s.ReadUntilTaggedAsync("p6");
        var lines = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("p1 OK NOOP completed", lines[0]);
        Assert.StartsWith("p2 OK [CAPABILITY ", lines[1], StringComparison.Ordinal);
        Assert.Equal("p3 OK CREATE completed", lines[2]);
        Assert.Equal("* STATUS Work (MESSAGES 0)", lines[3]);
        Assert.Equal("p4 OK STATUS completed", lines[4]);
        Assert.StartsWith("p5 BAD ", lines[5], StringComparison.Ordinal);
        Assert.Equal("p6 OK NOOP completed", lines[6]);
        Assert.Equal(7, lines.Length);
    }

    [Fact]
    public async Task Logout_sends_bye_then_ok_then_closes()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.Equal("* BYE Logging out\r\na1 OK LOGOUT completed\r\n", await s.CommandAsync("a1", "LOGOUT"));
        await s.AssertClosedAsync();
    }

    [Fact]
    public async Task Enable_always_answers_enabled_and_ignores_unknown_names()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.Equal("* ENABLED\r\na1 OK ENABLE completed\r\n", await s.CommandAsync("a1", "ENABLE X-UNKNOWN"));
        Assert.Equal("* ENABLED IMAP4rev2\r\na2 OK ENABLE completed\r\n", await s.CommandAsync("a2", "ENABLE imap4rev2 X-UNKNOWN"));
        Assert.Equal("* ENABLED\r\na3 OK ENABLE completed\r\n", await s.CommandAsync("a3", "ENABLE IMAP4rev2"));
        Assert.True(s.Connection.Session.Utf8);
    }

    [Fact]
    public async Task Id_and_namespace()
    {
        await using var s = await ImapTestSession.StartAsync();
        var id = await s.CommandAsync("a1", "ID (\"name\" \"test\")");
        Assert.StartsWith("* ID (\"name\" \"Letterbox\" \"version\" \"", id, StringComparison.Ordinal);
        Assert.EndsWith("\")\r\na1 OK ID completed\r\n", id, StringComparison.Ordinal);
        await s.LoginAsync();
        Assert.Equal("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\na2 OK NAMESPACE completed\r\n", await s.CommandAsync("a2", "NAMESPACE"));
    }

    [Fact]
    public async Task Client_disconnect_mid_command_ends_the_session_quietly()
    {
        var s = await ImapTestSession.StartAsync();
        await s.SendAsync("a1 LOGIN alice {6}\r\n");
        Assert.Equal("+ Ready for literal data", await s.ReadLineAsync());
        await s.DisposeAsync();
        Assert.True(s.Run.IsCompletedSuccessfully);
    }
}

using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Any-state and not-authenticated commands through MailKit: CAPABILITY, NOOP, LOGOUT, LOGIN,
/// AUTHENTICATE, ENABLE, ID, NAMESPACE.</summary>
public sealed class ProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    /// <summary>RFC 9051 §6.1.1 CAPABILITY; RFC 7888 LITERAL+, RFC 4959 SASL-IR, RFC 2971 ID, RFC 5161 ENABLE,
    /// RFC 2342 NAMESPACE, RFC 3691 UNSELECT, RFC 4315 UIDPLUS, RFC 6851 MOVE, RFC 3348 CHILDREN.</summary>
    [Fact]
    public async Task Capability_advertises_the_base_and_extensions()
    {
        using var client = await Server.ConnectAsync();
        var caps = client.Capabilities;
        foreach (var expected in new[]
                 {
                     ImapCapabilities.IMAP4rev1, ImapCapabilities.IMAP4rev2, ImapCapabilities.LiteralPlus, ImapCapabilities.SaslIR,
                     ImapCapabilities.Id, ImapCapabilities.Enable, ImapCapabilities.Namespace, ImapCapabilities.Unselect,
                     ImapCapabilities.UidPlus, ImapCapabilities.Move, ImapCapabilities.Children,
                 })
        {
            Assert.True(caps.HasFlag(expected), $"{expected} missing from {caps}");
        }
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);
        await client.DisconnectAsync(true);
    }

    /// <summary>RFC 9051 §6.1.1: the CAPABILITY response is untagged and lists IMAP4rev2 (and IMAP4rev1 for
    /// RFC 3501 clients); the exact atoms as sent on the wire.</summary>
    [Fact]
    public async Task Capability_raw_response_lists_every_required_atom()
    {
        await using var raw = await Server.ConnectRawAsync();
        var response = await raw.CommandAsync("a1", "CAPABILITY");
        Assert.True(response.IsOk, response.ToString());
        var line = Assert.Single(response.Untagged, l => l.StartsWith("* CAPABILITY ", StringComparison.Ordinal));
        var atoms = line["* CAPABILITY ".Length..].Split(' ');
        foreach (var atom in new[] { "IMAP4rev1", "IMAP4rev2", "LITERAL+", "SASL-IR", "ID", "ENABLE", "NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN", "AUTH=PLAIN" })
        {
            Assert.Contains(atom, atoms);
        }
    }

    /// <summary>RFC 9051 §6.1.2 NOOP succeeds in every state.</summary>
    [Fact]
    public async Task Noop_succeeds_before_and_after_login()
    {
        var (name, password) = await Server.AddUserAsync();
        await using (var raw = await Server.ConnectRawAsync())
        {
            var response = await raw.CommandAsync("n1", "NOOP");
            Assert.Equal(["n1 OK"], [response.Tagged[..5]]);
            Assert.Empty(response.Untagged);
        }
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        await client.NoOpAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.NoOpAsync();
        await client.DisconnectAsync(true);
    }

    /// <summary>RFC 9051 §6.1.3 LOGOUT: untagged BYE, then tagged OK, then the server closes the connection.</summary>
    [Fact]
    public async Task Logout_sends_bye_then_ok_and_closes()
    {
        await using var raw = await Server.ConnectRawAsync();
        var response = await raw.CommandAsync("z9", "LOGOUT");
        Assert.Equal("z9 OK", response.Tagged[..5]);
        Assert.Single(response.Untagged);
        Assert.StartsWith("* BYE", response.Untagged[0], StringComparison.Ordinal);
        Assert.True(await raw.IsClosedAsync(), "connection still open after LOGOUT");
    }

    /// <summary>RFC 9051 §6.2.3 LOGIN (MailKit falls back to LOGIN when no SASL mechanism is offered).</summary>
    [Fact]
    public async Task Login_command_authenticates()
    {
        var (name, password) = await Server.AddUserAsync();
        using var log = new MemoryStream();
        using var client = await Server.ConnectAsync(new ProtocolLogger(log, leaveOpen: true));
        client.AuthenticationMechanisms.Clear();
        await client.AuthenticateAsync(name, password);
        Assert.True(client.IsAuthenticated);
        Assert.Contains(" LOGIN ", Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        await client.DisconnectAsync(true);
    }

    /// <summary>RFC 9051 §6.2.2 AUTHENTICATE PLAIN (RFC 4616) with the initial response on the command line
    /// (RFC 4959 SASL-IR).</summary>
    [Fact]
    public async Task Authenticate_plain_with_initial_response()
    {
        var (name, password) = await Server.AddUserAsync();
        using var log = new MemoryStream();
        using var client = await Server.ConnectAsync(new ProtocolLogger(log, leaveOpen: true) { RedactSecrets = false });
        await client.AuthenticateAsync(new SaslMechanismPlain(name, password));
        Assert.True(client.IsAuthenticated);
        var transcript = Encoding.UTF8.GetString(log.ToArray());
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + name + "\0" + password));
        Assert.Contains("AUTHENTICATE PLAIN " + expected, transcript, StringComparison.Ordinal);
        await client.DisconnectAsync(true);
    }

    /// <summary>RFC 9051 §6.2.2: AUTHENTICATE PLAIN without SASL-IR, the response sent after the empty "+ "
    /// continuation.</summary>
    [Fact]
    public async Task Authenticate_plain_without_initial_response()
    {
        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.WriteAsync("a1 AUTHENTICATE PLAIN\r\n");
        var cont = await raw.ReadLineAsync();
        Assert.StartsWith("+", cont, StringComparison.Ordinal);
        await raw.WriteAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + name + "\0" + password)) + "\r\n");
        var response = await raw.ReadResponseAsync("a1");
        Assert.True(response.IsOk, response.ToString());
    }

    /// <summary>RFC 9051 §6.2.3: a wrong password gives tagged NO ([AUTHENTICATIONFAILED], RFC 5530) and the
    /// connection stays in the not-authenticated state, usable for another attempt.</summary>
    [Fact]
    public async Task Failed_login_is_refused_and_a_retry_succeeds()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        client.AuthenticationMechanisms.Clear();
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(name, password + "x"));
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("nobody@example.com", password));
        Assert.False(client.IsAuthenticated);
        await client.AuthenticateAsync(name, password);
        Assert.True(client.IsAuthenticated);

        await using var raw = await Server.ConnectRawAsync();
        var response = await raw.CommandAsync("a1", $"LOGIN {RawImapClient.Quote(name)} \"wrong\"");
        Assert.StartsWith("a1 NO [AUTHENTICATIONFAILED]", response.Tagged, StringComparison.Ordinal);
        var select = await raw.CommandAsync("a2", "SELECT INBOX");
        Assert.Equal("BAD", select.Status);
    }

    /// <summary>RFC 9051 §6.3.1 / RFC 5161 §3.2: ENABLE answers with an untagged ENABLED listing only what it
    /// enabled; unknown names are ignored (CLIENT-QUIRKS 4).</summary>
    [Fact]
    public async Task Enable_answers_enabled_and_ignores_unknown()
    {
        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var response = await raw.CommandAsync("e1", "ENABLE X-UNKNOWN-THING");
        Assert.True(response.IsOk, response.ToString());
        Assert.Contains("* ENABLED", response.Untagged);
        response = await raw.CommandAsync("e2", "ENABLE IMAP4rev2 X-FOO");
        Assert.True(response.IsOk, response.ToString());
        Assert.Contains("* ENABLED IMAP4rev2", response.Untagged);

    }

    /// <summary>RFC 2971 §3.1 ID: the server answers with its own field list, including name.</summary>
    [Fact]
    public async Task Id_returns_server_identity()
    {
        using var client = await Server.ConnectAsync();
        var implementation = await client.IdentifyAsync(new ImapImplementation { Name = "Letterbox.Tests", Version = "1" });
        Assert.NotNull(implementation);
        Assert.Equal("Letterbox", implementation.Name);
        await client.DisconnectAsync(true);
    }

    /// <summary>RFC 9051 §6.3.10 / RFC 2342 NAMESPACE: one personal namespace "" with delimiter "/".</summary>
    [Fact]
    public async Task Namespace_is_personal_root_with_slash()
    {
        using var client = await Server.NewUserClientAsync();
        var personal = Assert.Single(client.PersonalNamespaces);
        Assert.Equal("", personal.Path);
        Assert.Equal('/', personal.DirectorySeparator);
        Assert.Empty(client.OtherNamespaces);
        Assert.Empty(client.SharedNamespaces);

        await using var raw = await Server.ConnectRawAsync();
        var (name, password) = await Server.AddUserAsync();
        await raw.LoginAsync(name, password);
        var response = await raw.CommandAsync("n1", "NAMESPACE");
        Assert.Contains("* NAMESPACE ((\"\" \"/\")) NIL NIL", response.Untagged);
    }
}

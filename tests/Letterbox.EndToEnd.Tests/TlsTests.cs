using System.Security.Authentication;
using Letterbox.Server;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Letterbox.EndToEnd.Tests;

/// <summary>A server with a test CA's certificate: a cleartext listener offering STARTTLS and an implicit TLS one.</summary>
public sealed class TlsServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    /// <summary>The CA and server certificate.</summary>
    public TestPki Pki { get; } = TestPki.Create();

    /// <summary>The running server (plaintext auth: loopback).</summary>
    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await TestServer.StartAsync(Pki);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        Pki.Dispose();
    }
}

/// <summary>RFC 8314 implicit TLS and RFC 9051 §6.2.1 STARTTLS with MailKit and raw sockets; the server certificate is
/// checked against the test CA in every positive test.</summary>
public sealed class TlsTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    private TestServer Server => fixture.Server;
    private TestPki Pki => fixture.Pki;

    private ImapClient NewClient()
    {
        var client = new ImapClient { Timeout = 15000, ServerCertificateValidationCallback = Pki.Validate };
        return client;
    }

    [Fact]
    public async Task MailKit_implicit_tls_verifies_the_chain_logs_in_and_reads_inbox()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = NewClient();
        await client.ConnectAsync("127.0.0.1", Server.TlsPort, SecureSocketOptions.SslOnConnect);
        Assert.True(client.IsSecure);
        Assert.True(client.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, client.SslProtocol.ToString());
        Assert.False(client.Capabilities.HasFlag(ImapCapabilities.StartTLS));
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);
        await client.AuthenticateAsync(name, password);
        var inbox = await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(0, client.Inbox.Count);
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task MailKit_starttls_upgrades_and_capabilities_drop_starttls()
    {
        var (name, password) = await Server.AddUserAsync();
        using var log = new MemoryStream();
        using var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { Timeout = 15000, ServerCertificateValidationCallback = Pki.Validate };
        await client.ConnectAsync("127.0.0.1", Server.Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        // MailKit keeps its StartTLS flag after the upgrade, so check what the server sent on the wire.
        var wire = System.Text.Encoding.ASCII.GetString(log.ToArray()).Split('\n');
        var afterTls = wire.Last(l => l.StartsWith("S: * CAPABILITY ", StringComparison.Ordinal));
        Assert.True(Array.FindIndex(wire, l => l.Contains("OK Begin TLS negotiation now", StringComparison.Ordinal)) < Array.IndexOf(wire, afterTls));
        Assert.DoesNotContain("STARTTLS", afterTls, StringComparison.Ordinal);
        await client.AuthenticateAsync(name, password);
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0]);
        Assert.Contains(folders, f => f.FullName == "Archive");
        await client.DisconnectAsync(true);
    }

    [Fact]
    public async Task Certificate_from_another_ca_is_rejected_by_the_same_validation()
    {
        using var other = TestPki.Create("Some Other CA");
        using var client = new ImapClient { Timeout = 15000, ServerCertificateValidationCallback = other.Validate };
        await Assert.ThrowsAsync<SslHandshakeException>(() => client.ConnectAsync("127.0.0.1", Server.TlsPort, SecureSocketOptions.SslOnConnect));
    }

    [Fact]
    public async Task Cleartext_capability_lists_starttls()
    {
        await using var raw = await TlsLineClient.ConnectAsync(Server.Port);
        Assert.Contains(" STARTTLS", raw.Greeting, StringComparison.Ordinal);
        var reply = await raw.CommandAsync("a1", "CAPABILITY");
        Assert.Contains(" STARTTLS", reply[0], StringComparison.Ordinal);
        Assert.DoesNotContain("LOGINDISABLED", reply[0], StringComparison.Ordinal); // loopback policy
    }

    /// <summary>CVE-2011-0411 class: a command pipelined after STARTTLS in the same cleartext packet must never run.</summary>
    [Fact]
    public async Task Commands_pipelined_after_starttls_are_discarded()
    {
        var (name, password) = await Server.AddUserAsync();
        await using var raw = await TlsLineClient.ConnectAsync(Server.Port);
        await raw.WriteAsync($"a STARTTLS\r\nb LOGIN {name} {password}\r\n");
        Assert.Equal("a OK Begin TLS negotiation now", await raw.ReadLineAsync());
        await raw.NegotiateTlsAsync(Pki);
        var capability = await raw.CommandAsync("c", "CAPABILITY");
        Assert.DoesNotContain(capability, l => l.StartsWith("b ", StringComparison.Ordinal));
        Assert.DoesNotContain("STARTTLS", capability[0], StringComparison.Ordinal);
        Assert.Equal(["d BAD LIST is only valid in the authenticated state"], await raw.CommandAsync("d", "LIST \"\" *"));
        Assert.StartsWith("e OK ", (await raw.CommandAsync("e", $"LOGIN {name} {password}"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_under_tls_or_after_login_is_bad()
    {
        await using (var implicitTls = await TlsLineClient.ConnectAsync(Server.TlsPort, Pki))
        {
            Assert.StartsWith("* OK [CAPABILITY ", implicitTls.Greeting, StringComparison.Ordinal);
            Assert.Equal(["a BAD TLS is already active"], await implicitTls.CommandAsync("a", "STARTTLS"));
        }
        await using (var upgraded = await TlsLineClient.ConnectAsync(Server.Port))
        {
            Assert.Equal(["a OK Begin TLS negotiation now"], await upgraded.CommandAsync("a", "STARTTLS"));
            await upgraded.NegotiateTlsAsync(Pki);
            Assert.Equal(["b BAD TLS is already active"], await upgraded.CommandAsync("b", "STARTTLS"));
        }
        var (name, password) = await Server.AddUserAsync();
        await using var loggedIn = await TlsLineClient.ConnectAsync(Server.Port);
        Assert.StartsWith("a OK ", (await loggedIn.CommandAsync("a", $"LOGIN {name} {password}"))[^1], StringComparison.Ordinal);
        Assert.Equal(["b BAD STARTTLS is only valid in the not authenticated state"], await loggedIn.CommandAsync("b", "STARTTLS"));
    }

    /// <summary>A second, independent TLS implementation: OpenSSL's s_client negotiates STARTTLS itself and checks the
    /// chain against the test CA (<c>-verify_return_error</c>); with another CA it must refuse.</summary>
    [Fact]
    public async Task Openssl_s_client_starttls_verifies_and_runs_a_session()
    {
        var (name, password) = await Server.AddUserAsync();
        var dir = Path.Combine(Server.DataDirectory, "openssl-test");
        var caFile = Pki.WriteCaPem(dir);
        var input = $"x1 LOGIN {name} {password}\r\nx2 LIST \"\" INBOX\r\nx3 LOGOUT\r\n";
        var ok = await OpenSsl.RunAsync(
            ["s_client", "-connect", $"127.0.0.1:{Server.Port}", "-starttls", "imap", "-CAfile", caFile, "-verify_return_error", "-verify_hostname", "localhost", "-quiet"], input);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("x1 OK ", ok.Output, StringComparison.Ordinal);
        Assert.Contains("* LIST (", ok.Output, StringComparison.Ordinal);
        Assert.Contains("x3 OK LOGOUT completed", ok.Output, StringComparison.Ordinal);

        using var other = TestPki.Create("Some Other CA");
        var otherCa = other.WriteCaPem(Path.Combine(dir, "other"));
        var refused = await OpenSsl.RunAsync(
            ["s_client", "-connect", $"127.0.0.1:{Server.TlsPort}", "-CAfile", otherCa, "-verify_return_error", "-quiet"], "x1 LOGOUT\r\n");
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.DoesNotContain("x1 OK", refused.Output, StringComparison.Ordinal);
    }
}

/// <summary>RFC 9051 §6.2.3 / RFC 5530: with <see cref="PlaintextAuthPolicy.Never"/> a cleartext connection refuses
/// passwords until STARTTLS.</summary>
public sealed class PlaintextPolicyTests
{
    [Fact]
    public async Task Login_before_tls_is_privacyrequired_and_works_after_starttls()
    {
        using var pki = TestPki.Create();
        await using var server = await TestServer.StartAsync(pki, PlaintextAuthPolicy.Never);
        var (name, password) = await server.AddUserAsync();
        await using var raw = await TlsLineClient.ConnectAsync(server.Port);
        Assert.Contains(" STARTTLS", raw.Greeting, StringComparison.Ordinal);
        Assert.Contains(" LOGINDISABLED", raw.Greeting, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH=PLAIN", raw.Greeting, StringComparison.Ordinal);
        Assert.Equal(["a NO [PRIVACYREQUIRED] Plaintext authentication is disabled: use STARTTLS first"], await raw.CommandAsync("a", $"LOGIN {name} {password}"));
        Assert.Equal(["b OK Begin TLS negotiation now"], await raw.CommandAsync("b", "STARTTLS"));
        await raw.NegotiateTlsAsync(pki);
        var capability = await raw.CommandAsync("c", "CAPABILITY");
        Assert.DoesNotContain("LOGINDISABLED", capability[0], StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", capability[0], StringComparison.Ordinal);
        Assert.Contains(" AUTH=PLAIN", capability[0], StringComparison.Ordinal);
        Assert.StartsWith("d OK [CAPABILITY ", (await raw.CommandAsync("d", $"LOGIN {name} {password}"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailKit_without_tls_cannot_send_a_plain_password_but_scram_and_starttls_work()
    {
        using var pki = TestPki.Create();
        await using var server = await TestServer.StartAsync(pki, PlaintextAuthPolicy.Never);
        var (name, password) = await server.AddUserAsync();
        using (var plain = new ImapClient { Timeout = 15000 })
        {
            await plain.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
            Assert.True(plain.Capabilities.HasFlag(ImapCapabilities.LoginDisabled));
            Assert.DoesNotContain("PLAIN", plain.AuthenticationMechanisms);
            await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => plain.AuthenticateAsync(new SaslMechanismPlain(name, password)));
            Assert.False(plain.IsAuthenticated);
            // SCRAM never sends the password, so it stays available in cleartext; MailKit picks it by itself.
            Assert.Contains("SCRAM-SHA-256", plain.AuthenticationMechanisms);
            await plain.AuthenticateAsync(name, password);
            Assert.True(plain.IsAuthenticated);
        }
        using var secure = new ImapClient { Timeout = 15000, ServerCertificateValidationCallback = pki.Validate };
        await secure.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.StartTls);
        await secure.AuthenticateAsync(name, password);
        Assert.True(secure.IsAuthenticated);
        await secure.DisconnectAsync(true);
    }
}

/// <summary>SCRAM-SHA-256 (RFC 7677) with MailKit's own implementation, over cleartext and over TLS.</summary>
public sealed class ScramTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    [Fact]
    public async Task MailKit_scram_sha_256_logs_in_and_rejects_a_wrong_password()
    {
        var server = fixture.Server;
        var (name, password) = await server.AddUserAsync();
        using (var client = new ImapClient { Timeout = 15000, ServerCertificateValidationCallback = fixture.Pki.Validate })
        {
            await client.ConnectAsync("127.0.0.1", server.TlsPort, SecureSocketOptions.SslOnConnect);
            Assert.Contains("SCRAM-SHA-256", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(new SaslMechanismScramSha256(name, password));
            Assert.True(client.IsAuthenticated);
            await client.DisconnectAsync(true);
        }
        using var wrong = new ImapClient { Timeout = 15000 };
        await wrong.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => wrong.AuthenticateAsync(new SaslMechanismScramSha256(name, password + "x")));
        Assert.False(wrong.IsAuthenticated);
    }
}

/// <summary>SCRAM-SHA-256-PLUS (RFC 5802 §6) bound to the server certificate with tls-server-end-point (RFC 5929 §4),
/// with MailKit's implementation; offered only under TLS.</summary>
public sealed class ScramPlusTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    [Fact]
    public async Task MailKit_scram_sha_256_plus_binds_to_the_certificate_under_tls_only()
    {
        var server = fixture.Server;
        var (name, password) = await server.AddUserAsync();
        using var log = new MemoryStream();
        using (var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { Timeout = 15000, ServerCertificateValidationCallback = fixture.Pki.Validate })
        {
            await client.ConnectAsync("127.0.0.1", server.TlsPort, SecureSocketOptions.SslOnConnect);
            Assert.Contains("SCRAM-SHA-256-PLUS", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(new SaslMechanismScramSha256Plus(new System.Net.NetworkCredential(name, password)));
            Assert.True(client.IsAuthenticated);
            await client.DisconnectAsync(true);
        }
        var wire = System.Text.Encoding.ASCII.GetString(log.ToArray());
        // MailKit masks the SASL messages in its log; the server accepts -PLUS only with p=tls-server-end-point and
        // the certificate's hash in c= (the wrong-binding test below shows a mismatch fails).
        Assert.Matches(@"C: (\w+) AUTHENTICATE SCRAM-SHA-256-PLUS \S+\r\n(.*\r\n)*S: \1 OK \[CAPABILITY [^\r]*\] AUTHENTICATE completed", wire);

        using var plain = new ImapClient { Timeout = 15000 };
        await plain.ConnectAsync("127.0.0.1", server.Port, SecureSocketOptions.None);
        Assert.DoesNotContain("SCRAM-SHA-256-PLUS", plain.AuthenticationMechanisms);
        Assert.Contains("SCRAM-SHA-256", plain.AuthenticationMechanisms);
    }

    [Fact]
    public async Task Scram_plus_with_a_wrong_binding_fails()
    {
        var server = fixture.Server;
        var (name, password) = await server.AddUserAsync();
        await using var raw = await TlsLineClient.ConnectAsync(server.TlsPort, fixture.Pki);
        var nonce = "abcdefghijklmnop";
        var gs2 = "p=tls-server-end-point,,";
        await raw.WriteAsync("a1 AUTHENTICATE SCRAM-SHA-256-PLUS " + B64($"{gs2}n={name},r={nonce}") + "\r\n");
        var serverFirst = Unb64((await raw.ReadLineAsync())[2..]);
        var fields = serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
        var withoutProof = $"c={Convert.ToBase64String([.. System.Text.Encoding.ASCII.GetBytes(gs2), .. new byte[32]])},r={fields["r"]}";
        await raw.WriteAsync(B64(withoutProof + ",p=" + Convert.ToBase64String(new byte[32])) + "\r\n");
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials", await raw.ReadLineAsync());
        Assert.Equal(["a2 NO SCRAM-SHA-256-PLUS needs TLS"], await (await TlsLineClient.ConnectAsync(server.Port)).CommandAsync("a2", "AUTHENTICATE SCRAM-SHA-256-PLUS"));
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Unb64(string text) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
}

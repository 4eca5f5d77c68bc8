using System.Security.Cryptography.X509Certificates;
using Letterbox.Server;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// Certificate renewal without a restart (RFC 8314 §5: the certificate both listeners present): the PEM pair is laid
/// out as certbot does (<c>live/*.pem</c> symbolic links into <c>archive/</c>, swapped by rename), and each test waits
/// for the server's reload signal, never a timer. Every TLS client validates against the CA of the certificate it
/// must see, so a wrong certificate fails the handshake.
/// </summary>
public sealed class CertificateReloadTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-reload-" + Guid.NewGuid().ToString("N"));

    private string Live => Path.Combine(_directory, "live");

    private string CertificatePath => Path.Combine(Live, "fullchain.pem");

    private string KeyPath => Path.Combine(Live, "privkey.pem");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Renewed_files_reach_new_implicit_tls_starttls_and_scram_plus_connections_while_an_open_session_keeps_working()
    {
        using var first = TestPki.Create("Reload CA one");
        using var second = TestPki.Create("Reload CA two");
        Deploy(first, 1);
        using var certificates = TlsCertificateSource.FromPemFiles(CertificatePath, KeyPath);
        var reloaded = new TaskCompletionSource<TlsIdentity>(TaskCreationOptions.RunContinuationsAsynchronously);
        certificates.Reloaded += identity => reloaded.TrySetResult(identity);
        Assert.True(certificates.Watch(TimeSpan.FromMilliseconds(200)));
        await using var server = await TestServer.StartAsync(certificates: certificates);
        var (name, password) = await server.AddUserAsync();

        await using var open = await TlsLineClient.ConnectAsync(server.TlsPort, first);
        Assert.Matches(@"^a1 OK \[CAPABILITY [^]]*\] LOGIN completed$", (await open.CommandAsync("a1", $"LOGIN {name} {password}"))[^1]);

        Deploy(second, 2);
        var identity = await reloaded.Task.WaitAsync(Generous);
        Assert.Equal(second.ServerCertificate.Thumbprint, identity.Certificate.Thumbprint);
        Assert.Same(identity, server.Listener.Certificates!.Current);
        Assert.Equal(1, certificates.ReloadCount);

        await using (var implicitTls = await TlsLineClient.ConnectAsync(server.TlsPort, second))
        {
            Assert.Equal(second.ServerCertificate.Thumbprint, Thumbprint(implicitTls));
        }
        await using (var startTls = await TlsLineClient.ConnectAsync(server.Port))
        {
            Assert.EndsWith("OK Begin TLS negotiation now", (await startTls.CommandAsync("s1", "STARTTLS"))[^1], StringComparison.Ordinal);
            await startTls.NegotiateTlsAsync(second);
            Assert.Equal(second.ServerCertificate.Thumbprint, Thumbprint(startTls));
        }
        // MailKit computes tls-server-end-point (RFC 5929 §4) from the certificate it received: the server must bind
        // to the new one for this to succeed.
        using (var client = new ImapClient { Timeout = 15000, ServerCertificateValidationCallback = second.Validate })
        {
            await client.ConnectAsync("127.0.0.1", server.TlsPort, SecureSocketOptions.SslOnConnect);
            await client.AuthenticateAsync(new SaslMechanismScramSha256Plus(new System.Net.NetworkCredential(name, password)));
            Assert.True(client.IsAuthenticated);
            await client.DisconnectAsync(true);
        }
        Assert.Equal(1, server.Listener.Authentications.SucceededWith("SCRAM-SHA-256-PLUS"));

        // The session opened before the renewal still runs on the old certificate.
        Assert.Equal(first.ServerCertificate.Thumbprint, Thumbprint(open));
        Assert.EndsWith("OK [READ-WRITE] SELECT completed", (await open.CommandAsync("a2", "SELECT INBOX"))[^1], StringComparison.Ordinal);
        Assert.EndsWith("OK NOOP completed", (await open.CommandAsync("a3", "NOOP"))[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Half_written_or_mismatched_files_keep_the_old_certificate_until_a_good_pair_arrives()
    {
        using var first = TestPki.Create("Reload CA one");
        using var second = TestPki.Create("Reload CA two");
        Directory.CreateDirectory(Live);
        File.WriteAllText(CertificatePath, first.ServerCertificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, KeyPem(first.ServerCertificate));
        using var certificates = TlsCertificateSource.FromPemFiles(CertificatePath, KeyPath);
        await using var server = await TestServer.StartAsync(certificates: certificates);

        // Reload() is what the serve command's SIGHUP handler calls.
        Assert.False(certificates.Reload()); // same files: nothing to do
        var pem = second.ServerCertificate.ExportCertificatePem();
        File.WriteAllText(CertificatePath, pem[..(pem.Length / 2)]); // half-written
        Assert.False(certificates.Reload());
        File.WriteAllText(CertificatePath, pem); // new certificate, old key: they do not match
        Assert.False(certificates.Reload());
        Assert.Equal(2, certificates.FailedReloadCount);
        Assert.Equal(0, certificates.ReloadCount);
        await using (var stillOld = await TlsLineClient.ConnectAsync(server.TlsPort, first))
        {
            Assert.Equal(first.ServerCertificate.Thumbprint, Thumbprint(stillOld));
        }

        File.WriteAllText(KeyPath, KeyPem(second.ServerCertificate));
        Assert.True(certificates.Reload());
        await using var renewed = await TlsLineClient.ConnectAsync(server.TlsPort, second);
        Assert.Equal(second.ServerCertificate.Thumbprint, Thumbprint(renewed));
    }

    /// <summary>certbot's layout: new files in archive/, then each live/ link replaced by renaming a new link over
    /// it (an atomic swap; the certificate link changes before the key link).</summary>
    private void Deploy(TestPki pki, int version)
    {
        var archive = Path.Combine(_directory, "archive");
        Directory.CreateDirectory(archive);
        Directory.CreateDirectory(Live);
        var certificate = Path.Combine(archive, $"fullchain{version}.pem");
        var key = Path.Combine(archive, $"privkey{version}.pem");
        File.WriteAllText(certificate, pki.ServerCertificate.ExportCertificatePem());
        File.WriteAllText(key, KeyPem(pki.ServerCertificate));
        foreach (var (link, target) in new[] { (CertificatePath, certificate), (KeyPath, key) })
        {
            var temporary = link + ".new";
            File.CreateSymbolicLink(temporary, Path.GetRelativePath(Live, target));
            File.Move(temporary, link, overwrite: true);
        }
    }

    private static string KeyPem(X509Certificate2 certificate) => certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

    private static string Thumbprint(TlsLineClient client)
    {
        using var remote = X509CertificateLoader.LoadCertificate(client.Tls!.RemoteCertificate!.GetRawCertData());
        return remote.Thumbprint;
    }
}

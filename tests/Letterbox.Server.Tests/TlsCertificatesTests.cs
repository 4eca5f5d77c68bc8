using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server.Tests;

public sealed class TlsCertificatesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-tls-tests", Guid.NewGuid().ToString("N"));

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
    public void Self_signed_is_created_once_as_ecdsa_p256_for_the_host_and_reused()
    {
        var tls = Path.Combine(_directory, "tls");
        using var first = TlsCertificates.LoadOrCreateSelfSigned(tls, "mail.example.test", out var created);
        Assert.True(created);
        Assert.True(first.HasPrivateKey);
        Assert.Equal("CN=mail.example.test", first.Subject);
        using (var key = first.GetECDsaPublicKey())
        {
            Assert.NotNull(key);
            Assert.Equal(256, key.KeySize);
        }
        var names = first.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("mail.example.test", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.True(File.Exists(Path.Combine(tls, TlsCertificates.SelfSignedCertificateFile)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, TlsCertificates.SelfSignedKeyFile)));
        }

        using var again = TlsCertificates.LoadOrCreateSelfSigned(tls, "other.example.test", out var createdAgain);
        Assert.False(createdAgain);
        Assert.Equal(first.Thumbprint, again.Thumbprint);
        Assert.Equal(TlsCertificates.Sha256Fingerprint(first), TlsCertificates.Sha256Fingerprint(again));
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", TlsCertificates.Sha256Fingerprint(first));
    }

    [Fact]
    public void Pem_fullchain_with_rsa_key_loads_the_leaf_with_its_key_and_the_rest_as_chain()
    {
        Directory.CreateDirectory(_directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test Root", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(10));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=mail.example.test", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddDays(5), [1, 2, 3, 4]);
        var fullchain = Path.Combine(_directory, "fullchain.pem");
        var privkey = Path.Combine(_directory, "privkey.pem");
        File.WriteAllText(fullchain, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(privkey, leafKey.ExportRSAPrivateKeyPem());

        var (certificate, chain) = TlsCertificates.LoadPem(fullchain, privkey);
        using (certificate)
        {
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(leaf.Thumbprint, certificate.Thumbprint);
            Assert.Equal(ca.Thumbprint, Assert.Single(chain).Thumbprint);
        }

        File.WriteAllText(privkey, RSA.Create(2048).ExportRSAPrivateKeyPem());
        Assert.ThrowsAny<CryptographicException>(() => TlsCertificates.LoadPem(fullchain, privkey));
    }

    [Fact]
    public async Task Implicit_tls_endpoint_without_a_certificate_refuses_to_start()
    {
        var options = new ImapServerOptions { Endpoints = [new ImapEndpoint(new IPEndPoint(IPAddress.Loopback, 0), ImapEndpointKind.ImplicitTls)] };
        await using var server = new ImapServer(null!, options, NullLoggerFactory.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(CancellationToken.None));
        Assert.Contains("needs a certificate", error.Message, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed (SAN 127.0.0.1, ::1 and localhost), made in
/// the test with <see cref="CertificateRequest"/>. <see cref="Validate"/> is a real check: the chain must end at
/// this CA and the name must match (no "accept anything").
/// </summary>
public sealed class TestPki : IDisposable
{
    private TestPki(X509Certificate2 ca, X509Certificate2 server)
    {
        Ca = ca;
        ServerCertificate = server;
    }

    /// <summary>The root (with its private key, unused after creation).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Creates a CA "Letterbox Test CA" and a server certificate for the loopback addresses.</summary>
    public static TestPki Create(string caName = "Letterbox Test CA")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=" + caName, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signed = request.Create(ca, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));
        var server = signed.CopyWithPrivateKey(serverKey);
        return new TestPki(ca, server);
    }

    /// <summary>Writes the CA certificate as PEM (for openssl <c>-CAfile</c>) and returns the path.</summary>
    public string WriteCaPem(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "test-ca.pem");
        File.WriteAllText(path, Ca.ExportCertificatePem());
        return path;
    }

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/>: true only when the name matched (the platform checked it
    /// against the host the client connected to) and the chain builds to <see cref="Ca"/>, with no other trust.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.Add(Ca);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return own.Build(leaf) && own.ChainElements[^1].Certificate.Thumbprint == Ca.Thumbprint;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Ca.Dispose();
        ServerCertificate.Dispose();
    }
}

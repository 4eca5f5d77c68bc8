using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Letterbox.Server;

/// <summary>
/// Loading the server certificate from PEM files (e.g. certbot's <c>fullchain.pem</c> and <c>privkey.pem</c>, RSA
/// or ECDSA) and creating a self-signed ECDSA P-256 certificate for a host name when none is configured.
/// </summary>
/// <remarks>RFC 8314 §5 (certificates for implicit TLS and STARTTLS), RFC 9051 §11.1 (TLS for IMAP).</remarks>
public static class TlsCertificates
{
    /// <summary>File name of the self-signed certificate inside the TLS directory.</summary>
    public const string SelfSignedCertificateFile = "selfsigned.pem";

    /// <summary>File name of the self-signed certificate's private key inside the TLS directory.</summary>
    public const string SelfSignedKeyFile = "selfsigned.key";

    /// <summary>
    /// Loads a certificate and its private key from PEM files. The first certificate in
    /// <paramref name="certificatePath"/> is the server's; any further ones (a fullchain.pem) are returned as the
    /// chain to send with it.
    /// </summary>
    /// <exception cref="CryptographicException">A file is missing, not PEM, or the key does not match.</exception>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Chain) LoadPem(string certificatePath, string keyPath)
    {
        var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var chain = new X509Certificate2Collection();
        foreach (var extra in all)
        {
            if (!string.Equals(extra.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
            {
                chain.Add(extra);
            }
        }
        return (certificate, chain);
    }

    /// <summary>
    /// Loads <c><paramref name="directory"/>/selfsigned.pem</c> and <c>selfsigned.key</c>, or creates them first: an
    /// ECDSA P-256 certificate for <paramref name="hostName"/> (and localhost, 127.0.0.1, ::1), valid for 10 years.
    /// The key file is readable by the owner only.
    /// </summary>
    /// <param name="directory">Where the files live, e.g. <c>&lt;data&gt;/tls</c>; created if missing.</param>
    /// <param name="hostName">The subject name and first DNS name.</param>
    /// <param name="created">True when the files were created by this call.</param>
    public static X509Certificate2 LoadOrCreateSelfSigned(string directory, string hostName, out bool created)
    {
        var certificatePath = Path.Combine(directory, SelfSignedCertificateFile);
        var keyPath = Path.Combine(directory, SelfSignedKeyFile);
        created = false;
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = CreateSelfSigned(key, hostName);
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(keyPath, keyPem);
        }
        else
        {
            using var stream = new FileStream(keyPath, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(keyPem);
        }
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        created = true;
        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    /// <summary>The SHA-256 fingerprint as colon-separated upper-case hex (as <c>openssl x509 -fingerprint -sha256</c>
    /// prints it), for the log line users compare against their client's warning.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate)
        => BitConverter.ToString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Replace('-', ':');

    private static X509Certificate2 CreateSelfSigned(ECDsa key, string hostName)
    {
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + hostName), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        if (!string.Equals(hostName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName("localhost");
        }
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }
}

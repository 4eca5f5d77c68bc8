using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Letterbox.Server;

/// <summary>
/// TLS channel bindings for SCRAM-SHA-256-PLUS (RFC 5802 §6, RFC 7677). Only <c>tls-server-end-point</c>
/// (RFC 5929 §4) is provided: the hash of the server certificate, which both ends know; .NET does not expose the TLS
/// exporter that <c>tls-exporter</c> (RFC 9266) needs.
/// </summary>
public static class ChannelBinding
{
    /// <summary>The channel binding type name used in the SCRAM gs2 header (<c>p=tls-server-end-point</c>).</summary>
    public const string TlsServerEndPoint = "tls-server-end-point";

    /// <summary>
    /// The <c>tls-server-end-point</c> data for <paramref name="certificate"/>: its DER encoding hashed with the hash of
    /// its signature algorithm, SHA-256 when that is MD5 or SHA-1 (RFC 5929 §4.1). Null when the algorithm has no
    /// single hash (e.g. Ed25519), so -PLUS is then not offered.
    /// </summary>
    public static byte[]? ServerEndPoint(X509Certificate2 certificate)
    {
        var hash = certificate.SignatureAlgorithm.Value switch
        {
            "1.2.840.10045.4.1" or "1.2.840.10045.4.3.2" or "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.4" or "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.10" => HashAlgorithmName.SHA256,
            "1.2.840.10045.4.3.3" or "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
            "1.2.840.10045.4.3.4" or "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return null;
        }
        return hash == HashAlgorithmName.SHA384 ? SHA384.HashData(certificate.RawData)
            : hash == HashAlgorithmName.SHA512 ? SHA512.HashData(certificate.RawData)
            : SHA256.HashData(certificate.RawData);
    }
}

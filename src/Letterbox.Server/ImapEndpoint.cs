using System.Net;

namespace Letterbox.Server;

/// <summary>How a listener secures its connections.</summary>
public enum ImapEndpointKind
{
    /// <summary>Cleartext at first; the client may upgrade with STARTTLS (RFC 9051 §6.2.1) when a certificate is
    /// configured. The traditional port is 143.</summary>
    Plain,

    /// <summary>TLS from the first byte (implicit TLS, RFC 8314 §3.2). The traditional port is 993.</summary>
    ImplicitTls,
}

/// <summary>One address to listen on and the kind of its connections.</summary>
/// <param name="Address">The address; port 0 binds an ephemeral port.</param>
/// <param name="Kind">Plain (STARTTLS-capable) or implicit TLS.</param>
public sealed record ImapEndpoint(IPEndPoint Address, ImapEndpointKind Kind = ImapEndpointKind.Plain)
{
    /// <summary>A plain (STARTTLS-capable) endpoint, so <c>Endpoints = [new IPEndPoint(…)]</c> keeps working.</summary>
    public static implicit operator ImapEndpoint(IPEndPoint address) => new(address);

    /// <inheritdoc/>
    public override string ToString() => Kind == ImapEndpointKind.ImplicitTls ? $"{Address} (implicit TLS)" : $"{Address}";
}

/// <summary>When LOGIN and password-sending SASL mechanisms (PLAIN, LOGIN) are allowed without TLS.</summary>
/// <remarks>RFC 9051 §6.2.3 (LOGINDISABLED), RFC 8314 §5.1, RFC 2595 §3.2.</remarks>
public enum PlaintextAuthPolicy
{
    /// <summary>Only under TLS (implicit, or after STARTTLS).</summary>
    Never,

    /// <summary>Under TLS, or without TLS from a loopback address (127.0.0.0/8, ::1) or an in-process pipe.</summary>
    Loopback,

    /// <summary>Always, also over cleartext from any address (not recommended).</summary>
    Always,
}

/// <summary>
/// Negotiates TLS as the server on a connection's underlying stream (after STARTTLS, RFC 9051 §6.2.1) and returns
/// the new transport over the encrypted stream. Throws (AuthenticationException, IOException) when the handshake fails.
/// </summary>
public delegate ValueTask<System.IO.Pipelines.IDuplexPipe> TlsUpgrade(CancellationToken cancellationToken);

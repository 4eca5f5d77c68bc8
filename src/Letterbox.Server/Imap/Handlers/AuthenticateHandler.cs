using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// AUTHENTICATE (RFC 9051 §6.2.2) with the PLAIN mechanism (RFC 4616) and an optional initial response (SASL-IR,
/// RFC 4959). Without one, sends <c>+ </c> and reads one base64 line; <c>*</c> cancels (BAD). The message is
/// <c>[authzid] NUL authcid NUL passwd</c>; authzid must be empty or equal authcid.
/// </summary>
public static class AuthenticateHandler
{
    private const int MaxPlainLength = 4096;

    /// <summary>Runs the PLAIN exchange.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, AuthenticateCommand command, CancellationToken cancellationToken)
    {
        if (!string.Equals(command.Mechanism, "PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return CommandResult.No(null, "Unsupported authentication mechanism");
        }
        if (!session.PlaintextAuthAllowed)
        {
            return Authentication.PrivacyRequired(session);
        }
        var response = command.InitialResponse;
        if (response is null)
        {
            Authentication.WriteEmptyContinuation(session.Writer);
            response = await session.ReadLineAsync(cancellationToken);
            if (response is null)
            {
                session.EndSession(null);
                return CommandResult.Bad("Connection closed during authentication");
            }
            if (response == "*")
            {
                return CommandResult.Bad("Authentication cancelled");
            }
        }
        if (!TryDecode(response, out var message))
        {
            return CommandResult.Bad("Invalid base64 in authentication response");
        }
        var first = message.IndexOf('\0');
        var second = first < 0 ? -1 : message.IndexOf('\0', first + 1);
        if (first < 0 || second < 0 || message.IndexOf('\0', second + 1) >= 0)
        {
            return CommandResult.Bad("Malformed PLAIN response");
        }
        var authzid = message[..first];
        var authcid = message[(first + 1)..second];
        var password = message[(second + 1)..];
        if (authzid.Length != 0 && !string.Equals(authzid, authcid, StringComparison.OrdinalIgnoreCase))
        {
            return CommandResult.No("AUTHORIZATIONFAILED", "Authorization identity must be empty or equal the user name");
        }
        return await Authentication.AuthenticateAsync(session, authcid, password, "AUTHENTICATE", cancellationToken);
    }

    /// <summary>Decodes strict base64 ("=" alone is the empty response, RFC 4959 §3) as UTF-8.</summary>
    private static bool TryDecode(string text, out string message)
    {
        message = string.Empty;
        if (text == "=")
        {
            return true;
        }
        if (text.Length == 0 || text.Length > MaxPlainLength || text.Length % 4 != 0)
        {
            return false;
        }
        var ascii = Encoding.ASCII.GetBytes(text);
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(ascii.Length)];
        if (Base64.DecodeFromUtf8(ascii, bytes, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }
        try
        {
            message = new UTF8Encoding(false, true).GetString(bytes, 0, written);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

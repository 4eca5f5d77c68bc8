using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// AUTHENTICATE (RFC 9051 §6.2.2) with an optional initial response (SASL-IR, RFC 4959) and the mechanisms PLAIN
/// (RFC 4616), LOGIN (the legacy draft-murchison-sasl-login) and SCRAM-SHA-256[-PLUS] (RFC 7677, RFC 5802; see
/// <see cref="ScramSha256Mechanism"/>). Each challenge is <c>+ base64</c>; the client's <c>*</c> cancels (BAD), as do
/// invalid base64 and responses out of step (BAD). PLAIN and LOGIN send the password and are refused with
/// <c>NO [PRIVACYREQUIRED]</c> where the connection advertises LOGINDISABLED.
/// </summary>
public static class AuthenticateHandler
{
    private const int MaxResponseLength = 4096;

    /// <summary>AUTHENTICATE LOGIN in logs and <see cref="AuthenticationCounters"/>, told apart from the LOGIN command.</summary>
    public const string SaslLogin = "AUTH=LOGIN";

    /// <summary>Runs the exchange of the requested mechanism.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, AuthenticateCommand command, CancellationToken cancellationToken)
    {
        var mechanism = command.Mechanism.ToUpperInvariant();
        switch (mechanism)
        {
            case "PLAIN":
            case "LOGIN":
                if (!session.PlaintextAuthAllowed)
                {
                    return ValueTask.FromResult(Authentication.PrivacyRequired(session, mechanism == "PLAIN" ? "PLAIN" : SaslLogin));
                }
                return mechanism == "PLAIN"
                    ? PlainAsync(session, command.InitialResponse, cancellationToken)
                    : LoginAsync(session, command.InitialResponse, cancellationToken);
            case "SCRAM-SHA-256":
                return ScramSha256Mechanism.AuthenticateAsync(session, command.InitialResponse, plus: false, cancellationToken);
            case "SCRAM-SHA-256-PLUS":
                return session.ServerEndPointBinding is null
                    ? ValueTask.FromResult(CommandResult.No(null, "SCRAM-SHA-256-PLUS needs TLS"))
                    : ScramSha256Mechanism.AuthenticateAsync(session, command.InitialResponse, plus: true, cancellationToken);
            default:
                return ValueTask.FromResult(CommandResult.No(null, "Unsupported authentication mechanism"));
        }
    }

    /// <summary>PLAIN (RFC 4616 §2): <c>[authzid] NUL authcid NUL passwd</c>; authzid must be empty or equal authcid.</summary>
    private static async ValueTask<CommandResult> PlainAsync(ImapSession session, string? initialResponse, CancellationToken cancellationToken)
    {
        var step = await FirstResponseAsync(session, initialResponse, cancellationToken);
        if (step.Failure is { } failure)
        {
            return failure;
        }
        var message = step.Message!;
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
        return await Authentication.AuthenticateAsync(session, authcid, password, "AUTHENTICATE", "PLAIN", cancellationToken);
    }

    /// <summary>LOGIN: challenges "Username:" and "Password:"; an initial response (SASL-IR) is the user name.</summary>
    private static async ValueTask<CommandResult> LoginAsync(ImapSession session, string? initialResponse, CancellationToken cancellationToken)
    {
        SaslStep user;
        if (initialResponse is null)
        {
            user = await ChallengeAsync(session, "Username:", cancellationToken);
        }
        else
        {
            user = TryDecode(initialResponse, out var name) ? new SaslStep(name, null) : SaslStep.InvalidBase64;
        }
        if (user.Failure is { } failure)
        {
            return failure;
        }
        var password = await ChallengeAsync(session, "Password:", cancellationToken);
        if (password.Failure is { } passwordFailure)
        {
            return passwordFailure;
        }
        return await Authentication.AuthenticateAsync(session, user.Message!, password.Message!, "AUTHENTICATE", SaslLogin, cancellationToken);
    }

    /// <summary>One client message, or the tagged reply that ends the exchange.</summary>
    internal readonly record struct SaslStep(string? Message, CommandResult? Failure)
    {
        public static SaslStep InvalidBase64 => new(null, CommandResult.Bad("Invalid base64 in authentication response"));
    }

    /// <summary>The initial response when the client sent one (SASL-IR), else an empty challenge <c>+ </c> and the
    /// client's answer.</summary>
    internal static async ValueTask<SaslStep> FirstResponseAsync(ImapSession session, string? initialResponse, CancellationToken cancellationToken)
    {
        if (initialResponse is null)
        {
            return await ChallengeAsync(session, null, cancellationToken);
        }
        return TryDecode(initialResponse, out var message) ? new SaslStep(message, null) : SaslStep.InvalidBase64;
    }

    /// <summary>
    /// Sends <c>+ base64(challenge)</c> (<c>+ </c> for null) and reads the client's response line (RFC 9051 §6.2.2):
    /// <c>*</c> cancels, an empty line is an empty response, anything else must be base64 of UTF-8.
    /// </summary>
    internal static async ValueTask<SaslStep> ChallengeAsync(ImapSession session, string? challenge, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            Authentication.WriteEmptyContinuation(session.Writer);
        }
        else
        {
            session.Writer.WriteRaw("+ "u8);
            session.Writer.WriteAtom(Convert.ToBase64String(Encoding.UTF8.GetBytes(challenge)));
            session.Writer.WriteCrlf();
        }
        var line = await session.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            session.EndSession(null);
            return new SaslStep(null, CommandResult.Bad("Connection closed during authentication"));
        }
        if (line == "*")
        {
            return new SaslStep(null, CommandResult.Bad("Authentication cancelled"));
        }
        if (line.Length == 0)
        {
            return new SaslStep(string.Empty, null);
        }
        return TryDecode(line, out var message) ? new SaslStep(message, null) : SaslStep.InvalidBase64;
    }

    /// <summary>Decodes strict base64 ("=" alone is the empty response, RFC 4959 §3) as UTF-8.</summary>
    private static bool TryDecode(string text, out string message)
    {
        message = string.Empty;
        if (text == "=")
        {
            return true;
        }
        if (text.Length == 0 || text.Length > MaxResponseLength || text.Length % 4 != 0)
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

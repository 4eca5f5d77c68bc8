using System.Security.Cryptography;
using System.Text;
using Letterbox.Mail.Users;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// The server side of SASL SCRAM-SHA-256 (RFC 7677, RFC 5802 §5): client-first (optionally as the SASL-IR initial
/// response, RFC 4959), server-first with the salt and iteration count from the user's stored
/// <see cref="ScramSecret"/>, client-final with the proof, server-final with the server signature, then an empty
/// client response. The password never crosses the wire, so the mechanism is offered also where plaintext
/// authentication is not. SCRAM-SHA-256-PLUS (under TLS only) binds the exchange to the server certificate with
/// <c>tls-server-end-point</c> (RFC 5929 §4); plain SCRAM-SHA-256 with <c>p=</c> gets BAD, and a client claiming
/// <c>y</c> (it supports binding but thinks the server does not) fails where -PLUS is offered (RFC 5802 §6: downgrade). Unknown users and users without a SCRAM secret get a plausible fake salt and fail at the proof, like
/// a wrong password, so the exchange does not reveal which names exist.
/// </summary>
public static class ScramSha256Mechanism
{
    private static readonly byte[] FakeSaltKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>Runs the exchange; returns the tagged reply.</summary>
    /// <param name="session">The session.</param>
    /// <param name="initialResponse">The SASL-IR initial response, or null.</param>
    /// <param name="plus">SCRAM-SHA-256-PLUS: the client must bind to <see cref="ImapSession.ServerEndPointBinding"/>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    public static async ValueTask<CommandResult> AuthenticateAsync(ImapSession session, string? initialResponse, bool plus, CancellationToken cancellationToken)
    {
        var first = await AuthenticateHandler.FirstResponseAsync(session, initialResponse, cancellationToken);
        if (first.Failure is { } firstFailure)
        {
            return firstFailure;
        }
        if (!TryParseClientFirst(first.Message!, plus, out var gs2Header, out var userName, out var clientNonce, out var clientFirstBare, out var error))
        {
            return CommandResult.Bad(error);
        }
        // RFC 5802 §6: "y" from a client that could bind while this connection offers -PLUS is a downgrade.
        var downgraded = !plus && gs2Header[0] == 'y' && session.ServerEndPointBinding is not null;
        var bindingInput = Encoding.UTF8.GetBytes(gs2Header);
        if (plus)
        {
            bindingInput = [.. bindingInput, .. session.ServerEndPointBinding!];
        }
        var user = await session.Store.FindUserAsync(userName, cancellationToken);
        var secret = ScramSecret.TryParse(user?.ScramSecret);
        var known = user is not null && secret is not null;
        secret ??= FakeSecret(userName);

        var nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var serverFirst = $"r={nonce},s={Convert.ToBase64String(secret.Salt)},i={secret.Iterations}";
        var final = await AuthenticateHandler.ChallengeAsync(session, serverFirst, cancellationToken);
        if (final.Failure is { } finalFailure)
        {
            return finalFailure;
        }
        var clientFinal = final.Message!;
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (!clientFinal.StartsWith("c=", StringComparison.Ordinal) || proofAt < 0)
        {
            return CommandResult.Bad("Malformed SCRAM client-final-message");
        }
        var withoutProof = clientFinal[..proofAt];
        var attributes = withoutProof.Split(',');
        if (attributes.Length < 2 || !attributes[1].StartsWith("r=", StringComparison.Ordinal) || !TryBase64(clientFinal[(proofAt + 3)..], out var proof))
        {
            return CommandResult.Bad("Malformed SCRAM client-final-message");
        }
        var bindingOk = !downgraded && string.Equals(attributes[0][2..], Convert.ToBase64String(bindingInput), StringComparison.Ordinal);
        var nonceOk = string.Equals(attributes[1][2..], nonce, StringComparison.Ordinal);

        var authMessage = Encoding.UTF8.GetBytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        var clientSignature = HMACSHA256.HashData(secret.StoredKey, authMessage);
        var proofOk = proof.Length == clientSignature.Length;
        if (proofOk)
        {
            var clientKey = new byte[proof.Length];
            for (var i = 0; i < clientKey.Length; i++)
            {
                clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
            }
            proofOk = CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), secret.StoredKey);
        }
        if (!(known && bindingOk && nonceOk && proofOk))
        {
            return await Authentication.FailAsync(session, userName, plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256", cancellationToken);
        }

        var serverSignature = HMACSHA256.HashData(secret.ServerKey, authMessage);
        var last = await AuthenticateHandler.ChallengeAsync(session, "v=" + Convert.ToBase64String(serverSignature), cancellationToken);
        if (last.Failure is { } lastFailure)
        {
            return lastFailure;
        }
        if (last.Message!.Length != 0)
        {
            return CommandResult.Bad("Expected an empty response after the SCRAM server-final-message");
        }
        return Authentication.Succeed(session, user!, "AUTHENTICATE", plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256");
    }

    /// <summary>
    /// Parses <c>gs2-header client-first-message-bare</c> (RFC 5802 §7): <c>n,,n=user,r=nonce[,ext]</c> or with
    /// <c>y</c>, or for -PLUS <c>p=tls-server-end-point</c>; an authzid (<c>a=</c>) must equal the user name.
    /// </summary>
    private static bool TryParseClientFirst(string message, bool plus, out string gs2Header, out string userName, out string nonce, out string bare, out string error)
    {
        gs2Header = userName = nonce = bare = error = "";
        var firstComma = message.IndexOf(',');
        var secondComma = firstComma < 0 ? -1 : message.IndexOf(',', firstComma + 1);
        if (secondComma < 0)
        {
            error = "Malformed SCRAM client-first-message";
            return false;
        }
        var flag = message[..firstComma];
        if (plus)
        {
            if (flag != "p=" + ChannelBinding.TlsServerEndPoint)
            {
                error = "SCRAM-SHA-256-PLUS supports only channel binding p=" + ChannelBinding.TlsServerEndPoint;
                return false;
            }
        }
        else if (flag.StartsWith("p=", StringComparison.Ordinal))
        {
            error = "Channel binding needs SCRAM-SHA-256-PLUS";
            return false;
        }
        else if (flag is not ("n" or "y"))
        {
            error = "Malformed SCRAM gs2-header";
            return false;
        }
        gs2Header = message[..(secondComma + 1)];
        bare = message[(secondComma + 1)..];
        var attributes = bare.Split(',');
        if (attributes.Length < 2 || !attributes[0].StartsWith("n=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal)
            || attributes[1].Length == 2 || !TryDecodeSaslName(attributes[0][2..], out userName) || userName.Length == 0)
        {
            error = "Malformed SCRAM client-first-message";
            return false;
        }
        nonce = attributes[1][2..];
        var authzid = message[(firstComma + 1)..secondComma];
        if (authzid.Length != 0)
        {
            if (!authzid.StartsWith("a=", StringComparison.Ordinal) || !TryDecodeSaslName(authzid[2..], out var authz) || !string.Equals(authz, userName, StringComparison.OrdinalIgnoreCase))
            {
                error = "Authorization identity must be empty or equal the user name";
                return false;
            }
        }
        return true;
    }

    /// <summary>saslname (RFC 5802 §5.1): "=2C" is ",", "=3D" is "=", any other "=" is invalid.</summary>
    private static bool TryDecodeSaslName(string text, out string name)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '=')
            {
                builder.Append(text[i]);
                continue;
            }
            if (string.CompareOrdinal(text, i, "=2C", 0, 3) == 0)
            {
                builder.Append(',');
            }
            else if (string.CompareOrdinal(text, i, "=3D", 0, 3) == 0)
            {
                builder.Append('=');
            }
            else
            {
                name = "";
                return false;
            }
            i += 2;
        }
        name = builder.ToString();
        return true;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = [];
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written == 0)
        {
            return false;
        }
        bytes = buffer[..written];
        return true;
    }

    /// <summary>A stable per-process salt for a name without a secret, so repeated probes look like a real user.</summary>
    private static ScramSecret FakeSecret(string userName)
    {
        var salt = HMACSHA256.HashData(FakeSaltKey, Encoding.UTF8.GetBytes(userName.ToLowerInvariant()))[..16];
        return new ScramSecret(ScramSecret.DefaultIterations, salt, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
    }
}

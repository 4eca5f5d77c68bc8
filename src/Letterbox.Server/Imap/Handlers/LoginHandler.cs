using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>LOGIN (RFC 9051 §6.2.3). Refused with <c>NO [PRIVACYREQUIRED]</c> (RFC 5530 §3) where the connection
/// advertises LOGINDISABLED (see <see cref="ImapSession.PlaintextAuthAllowed"/>).</summary>
public static class LoginHandler
{
    /// <summary>Verifies the credentials; see <see cref="Authentication.AuthenticateAsync"/>.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, LoginCommand command, CancellationToken cancellationToken)
    {
        if (!session.PlaintextAuthAllowed)
        {
            return ValueTask.FromResult(Authentication.PrivacyRequired(session, "LOGIN"));
        }
        return Authentication.AuthenticateAsync(session, command.UserName, command.Password, "LOGIN", "LOGIN", cancellationToken);
    }
}

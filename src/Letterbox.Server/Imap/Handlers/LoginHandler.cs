using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>LOGIN (RFC 9051 §6.2.3). Allowed over plaintext until STARTTLS exists (then LOGINDISABLED applies).</summary>
public static class LoginHandler
{
    /// <summary>Verifies the credentials; see <see cref="Authentication.AuthenticateAsync"/>.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, LoginCommand command, CancellationToken cancellationToken)
        => Authentication.AuthenticateAsync(session, command.UserName, command.Password, "LOGIN", cancellationToken);
}

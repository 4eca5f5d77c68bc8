using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>LOGOUT (RFC 9051 §6.1.3): <c>* BYE</c>, then the tagged OK, then the connection closes.</summary>
public static class LogoutHandler
{
    /// <summary>Writes BYE and ends the session.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, LogoutCommand command, CancellationToken cancellationToken)
    {
        session.Writer.WriteUntagged(ResponseCondition.Bye, "Logging out");
        session.EndSession(null);
        return ValueTask.FromResult(CommandResult.Ok("LOGOUT completed"));
    }
}

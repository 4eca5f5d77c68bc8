using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>UNSELECT (RFC 3691, RFC 9051 §6.4.2): returns to the authenticated state without expunging.</summary>
public static class UnselectHandler
{
    /// <summary>Deselects.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, UnselectCommand command, CancellationToken cancellationToken)
    {
        await session.UnselectAsync();
        return CommandResult.Ok("UNSELECT completed");
    }
}

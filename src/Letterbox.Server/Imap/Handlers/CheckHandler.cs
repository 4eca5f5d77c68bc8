using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// CHECK (RFC 3501 §6.4.1; removed in RFC 9051 but still sent by IMAP4rev1 clients): every store change is already
/// durable, so it only lets the session's sync step report pending updates, like NOOP.
/// </summary>
public static class CheckHandler
{
    /// <summary>Answers OK.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, CheckCommand command, CancellationToken cancellationToken)
        => ValueTask.FromResult(CommandResult.Ok("CHECK completed"));
}

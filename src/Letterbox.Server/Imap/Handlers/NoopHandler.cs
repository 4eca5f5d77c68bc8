using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>NOOP (RFC 9051 §6.1.2): does nothing; pending mailbox updates are sent by the session's sync step.</summary>
public static class NoopHandler
{
    /// <summary>Answers OK.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, NoopCommand command, CancellationToken cancellationToken)
        => ValueTask.FromResult(CommandResult.Ok("NOOP completed"));
}

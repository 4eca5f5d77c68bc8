using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>STARTTLS (RFC 9051 §6.2.1): not implemented yet and not advertised, so it is refused with BAD.</summary>
public static class StartTlsHandler
{
    /// <summary>Answers BAD.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, StartTlsCommand command, CancellationToken cancellationToken)
        => ValueTask.FromResult(CommandResult.Bad("STARTTLS is not supported"));
}

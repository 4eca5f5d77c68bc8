using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>CAPABILITY (RFC 9051 §6.1.1): <c>* CAPABILITY …</c> for this connection's security, from
/// <see cref="ImapCapabilities.For(ImapSession)"/>.</summary>
public static class CapabilityHandler
{
    /// <summary>Writes the capability list.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, CapabilityCommand command, CancellationToken cancellationToken)
    {
        var writer = session.Writer;
        writer.WriteRaw("* CAPABILITY "u8);
        writer.WriteAtom(session.CapabilityLine);
        writer.WriteCrlf();
        return ValueTask.FromResult(CommandResult.Ok("CAPABILITY completed"));
    }
}

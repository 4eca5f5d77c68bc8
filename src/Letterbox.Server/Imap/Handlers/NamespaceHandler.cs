using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>NAMESPACE (RFC 2342, RFC 9051 §6.3.10): one personal namespace with prefix "" and delimiter "/".</summary>
public static class NamespaceHandler
{
    /// <summary>Writes <c>* NAMESPACE (("" "/")) NIL NIL</c>.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, NamespaceCommand command, CancellationToken cancellationToken)
    {
        session.Writer.WriteRaw("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n"u8);
        return ValueTask.FromResult(CommandResult.Ok("NAMESPACE completed"));
    }
}

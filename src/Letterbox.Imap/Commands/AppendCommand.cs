using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Imap.Commands;

/// <summary>One message of an APPEND: flags, optional INTERNALDATE and the literal already staged to disk by the
/// request reader (never held whole in memory).</summary>
public sealed record AppendMessage(MessageFlags Flags, IReadOnlyList<string> Keywords, DateTimeOffset? InternalDate, IStagedMessage Message);

/// <summary>
/// <c>APPEND mailbox [(flags)] [date-time] literal</c> (RFC 9051 §6.3.12), with LITERAL+ (RFC 7888) and
/// MULTIAPPEND (RFC 3502: several messages in one command). Mailbox decoded to Unicode.
/// </summary>
public sealed record AppendCommand(string Mailbox, IReadOnlyList<AppendMessage> Messages) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "APPEND";
}

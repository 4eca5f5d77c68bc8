using Letterbox.Imap.Parsing;
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

    /// <summary><c>SP mailbox 1*(SP append-message)</c> with <c>append-message = [flag-list SP] [date-time SP] literal</c>
    /// (RFC 3502 MULTIAPPEND); the literals were streamed by the caller.</summary>
    internal static AppendCommand Parse(ref ImapParser p)
    {
        p.Sp("a mailbox name");
        var mailbox = p.Mailbox();
        var messages = new List<AppendMessage>();
        p.Sp("the message literal");
        do
        {
            var flags = MessageFlags.None;
            var keywords = new List<string>();
            DateTimeOffset? date = null;
            if (p.Peek() == '(')
            {
                p.FlagList(ref flags, keywords);
                p.Sp("the message literal");
            }
            if (p.Peek() == '"')
            {
                var text = p.String("date-time");
                if (!Text.ImapDateTime.TryParseDateTime(text, out var parsed))
                {
                    throw ImapParser.Bad("Invalid date-time: expected \"dd-Mon-yyyy hh:mm:ss +zzzz\"");
                }
                date = parsed;
                p.Sp("the message literal");
            }
            if (!p.AtLiteral)
            {
                throw ImapParser.Bad("Expected the message as a literal");
            }
            messages.Add(new AppendMessage(flags, keywords, date, p.StreamedLiteral()));
        }
        while (p.TrySp());
        return new AppendCommand(mailbox, messages);
    }
}

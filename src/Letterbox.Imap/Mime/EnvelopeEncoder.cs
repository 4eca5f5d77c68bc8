using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Mime;

/// <summary>Writes the FETCH <c>ENVELOPE</c> structure from a cached <see cref="Envelope"/>.</summary>
/// <remarks>
/// RFC 9051 §7.5.2 (ENVELOPE) and §9 (<c>envelope</c>, <c>address</c>):
/// <c>(date subject (from) (sender) (reply-to) (to) (cc) (bcc) in-reply-to message-id)</c>.
/// </remarks>
public static class EnvelopeEncoder
{
    /// <summary>
    /// Writes <paramref name="envelope"/>. Null strings are <c>NIL</c>; null or empty address lists are
    /// <c>NIL</c>; each address is <c>(name adl mailbox host)</c>, a group start <c>(NIL NIL "group" NIL)</c> and
    /// a group end <c>(NIL NIL NIL NIL)</c> as stored. A null or empty Sender or Reply-To is written as From,
    /// as §7.5.2 requires of the server.
    /// </summary>
    public static void Write(ImapResponseWriter writer, Envelope envelope)
    {
        writer.WriteOpenParen();
        writer.WriteNString(envelope.Date);
        writer.WriteSpace();
        writer.WriteNString(envelope.Subject);
        writer.WriteSpace();
        WriteAddressList(writer, envelope.From);
        writer.WriteSpace();
        WriteAddressList(writer, IsEmpty(envelope.Sender) ? envelope.From : envelope.Sender);
        writer.WriteSpace();
        WriteAddressList(writer, IsEmpty(envelope.ReplyTo) ? envelope.From : envelope.ReplyTo);
        writer.WriteSpace();
        WriteAddressList(writer, envelope.To);
        writer.WriteSpace();
        WriteAddressList(writer, envelope.Cc);
        writer.WriteSpace();
        WriteAddressList(writer, envelope.Bcc);
        writer.WriteSpace();
        writer.WriteNString(envelope.InReplyTo);
        writer.WriteSpace();
        writer.WriteNString(envelope.MessageId);
        writer.WriteCloseParen();
    }

    /// <summary>Writes an envelope of ten <c>NIL</c>s, for a message/rfc822 part whose envelope is unknown.</summary>
    public static void WriteEmpty(ImapResponseWriter writer) =>
        writer.WriteRaw("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)"u8);

    private static bool IsEmpty(IReadOnlyList<EnvelopeAddress>? list) => list is null || list.Count == 0;

    private static void WriteAddressList(ImapResponseWriter writer, IReadOnlyList<EnvelopeAddress>? list)
    {
        if (list is null || list.Count == 0)
        {
            writer.WriteNil();
            return;
        }
        writer.WriteOpenParen();
        for (var i = 0; i < list.Count; i++)
        {
            var address = list[i];
            writer.WriteOpenParen();
            writer.WriteNString(address.Name);
            writer.WriteSpace();
            writer.WriteNString(address.Route);
            writer.WriteSpace();
            writer.WriteNString(address.Mailbox);
            writer.WriteSpace();
            writer.WriteNString(address.Host);
            writer.WriteCloseParen();
        }
        writer.WriteCloseParen();
    }
}

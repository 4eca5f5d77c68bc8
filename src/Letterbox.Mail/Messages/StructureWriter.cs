using System.Buffers;
using System.Text;

namespace Letterbox.Mail.Messages;

/// <summary>Writes the binary form of <see cref="MessageStructure"/>: 7-bit encoded integers, strings as
/// (UTF-8 length + 1, bytes) with 0 for null, lists as (count + 1, items) with 0 for null.</summary>
internal sealed class StructureWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteUInt(0);
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        WriteUInt((ulong)count + 1);
        var span = _buffer.GetSpan(count);
        Encoding.UTF8.GetBytes(value, span);
        _buffer.Advance(count);
    }

    public void WriteEnvelope(Envelope envelope)
    {
        WriteString(envelope.Date);
        WriteString(envelope.Subject);
        WriteAddresses(envelope.From);
        WriteAddresses(envelope.Sender);
        WriteAddresses(envelope.ReplyTo);
        WriteAddresses(envelope.To);
        WriteAddresses(envelope.Cc);
        WriteAddresses(envelope.Bcc);
        WriteString(envelope.InReplyTo);
        WriteString(envelope.MessageId);
    }

    public void WritePart(BodyPart part, int depth)
    {
        WriteString(part.Type);
        WriteString(part.Subtype);
        WritePairs(part.Parameters);
        WriteString(part.ContentId);
        WriteString(part.Description);
        WriteString(part.Encoding);
        WriteString(part.Md5);
        WriteString(part.Disposition);
        WritePairs(part.DispositionParameters);
        if (part.Language is null)
        {
            WriteUInt(0);
        }
        else
        {
            WriteUInt((ulong)part.Language.Count + 1);
            foreach (var tag in part.Language) WriteString(tag);
        }
        WriteString(part.Location);
        WriteUInt((ulong)part.HeaderOffset);
        WriteUInt((ulong)(part.BodyOffset - part.HeaderOffset));
        WriteUInt((ulong)(part.EndOffset - part.BodyOffset));
        WriteUInt((ulong)part.Lines);
        WriteUInt((ulong)part.Children.Count);
        foreach (var child in part.Children) WritePart(child, depth + 1);
        if (part.MessageEnvelope is null)
        {
            WriteByte(0);
        }
        else
        {
            WriteByte(1);
            WriteEnvelope(part.MessageEnvelope);
        }
        if (part.MessageBody is null)
        {
            WriteByte(0);
        }
        else
        {
            WriteByte(1);
            WritePart(part.MessageBody, depth + 1);
        }
    }

    private void WritePairs(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        WriteUInt((ulong)pairs.Count);
        foreach (var pair in pairs)
        {
            WriteString(pair.Key);
            WriteString(pair.Value);
        }
    }

    private void WriteAddresses(IReadOnlyList<EnvelopeAddress>? addresses)
    {
        if (addresses is null)
        {
            WriteUInt(0);
            return;
        }
        WriteUInt((ulong)addresses.Count + 1);
        foreach (var a in addresses)
        {
            WriteString(a.Name);
            WriteString(a.Route);
            WriteString(a.Mailbox);
            WriteString(a.Host);
        }
    }
}

using System.Text;

namespace Letterbox.Mail.Messages;

/// <summary>Reads what <see cref="StructureWriter"/> wrote; every malformation is an <see cref="InvalidDataException"/>.</summary>
internal ref struct StructureReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public StructureReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _data.Length;

    public byte ReadByte()
    {
        if (_position >= _data.Length) throw Truncated();
        return _data[_position++];
    }

    public ulong ReadUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("Malformed variable-length integer in message structure.");
    }

    public long ReadLong()
    {
        var value = ReadUInt();
        if (value > long.MaxValue) throw new InvalidDataException("Offset out of range in message structure.");
        return (long)value;
    }

    public int ReadCount()
    {
        var value = ReadUInt();
        if (value > (ulong)(_data.Length - _position)) throw new InvalidDataException("List count exceeds the data in message structure.");
        return (int)value;
    }

    public string? ReadString()
    {
        var n = ReadUInt();
        if (n == 0) return null;
        var length = n - 1;
        if (length > (ulong)(_data.Length - _position)) throw Truncated();
        var span = _data.Slice(_position, (int)length);
        _position += (int)length;
        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("Invalid UTF-8 in message structure.", ex);
        }
    }

    public string ReadRequiredString() => ReadString() ?? throw new InvalidDataException("Missing required string in message structure.");

    public Envelope ReadEnvelope()
    {
        var date = ReadString();
        var subject = ReadString();
        var from = ReadAddresses();
        var sender = ReadAddresses();
        var replyTo = ReadAddresses();
        var to = ReadAddresses();
        var cc = ReadAddresses();
        var bcc = ReadAddresses();
        var inReplyTo = ReadString();
        var messageId = ReadString();
        return new Envelope(date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId);
    }

    public BodyPart ReadPart(int depth, int maxDepth)
    {
        if (depth > maxDepth) throw new InvalidDataException("Message structure nested too deeply.");
        var type = ReadRequiredString();
        var subtype = ReadRequiredString();
        var parameters = ReadPairs();
        var contentId = ReadString();
        var description = ReadString();
        var encoding = ReadRequiredString();
        var md5 = ReadString();
        var disposition = ReadString();
        var dispositionParameters = ReadPairs();
        List<string>? language = null;
        var languageCount = ReadCount();
        if (languageCount > 0)
        {
            language = new List<string>(languageCount - 1);
            for (var i = 0; i < languageCount - 1; i++) language.Add(ReadRequiredString());
        }
        var location = ReadString();
        var headerOffset = ReadLong();
        var bodyOffset = checked(headerOffset + ReadLong());
        var endOffset = checked(bodyOffset + ReadLong());
        var lines = ReadLong();
        var childCount = ReadCount();
        var children = new List<BodyPart>(childCount);
        for (var i = 0; i < childCount; i++) children.Add(ReadPart(depth + 1, maxDepth));
        var messageEnvelope = ReadFlag() ? ReadEnvelope() : null;
        var messageBody = ReadFlag() ? ReadPart(depth + 1, maxDepth) : null;
        return new BodyPart
        {
            Type = type,
            Subtype = subtype,
            Parameters = parameters,
            ContentId = contentId,
            Description = description,
            Encoding = encoding,
            Md5 = md5,
            Disposition = disposition,
            DispositionParameters = dispositionParameters,
            Language = language,
            Location = location,
            HeaderOffset = headerOffset,
            BodyOffset = bodyOffset,
            EndOffset = endOffset,
            Lines = lines,
            Children = children,
            MessageEnvelope = messageEnvelope,
            MessageBody = messageBody,
        };
    }

    private bool ReadFlag() => ReadByte() switch
    {
        0 => false,
        1 => true,
        _ => throw new InvalidDataException("Invalid presence flag in message structure."),
    };

    private List<KeyValuePair<string, string>> ReadPairs()
    {
        var count = ReadCount();
        var list = new List<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++) list.Add(new(ReadRequiredString(), ReadRequiredString()));
        return list;
    }

    private List<EnvelopeAddress>? ReadAddresses()
    {
        var count = ReadCount();
        if (count == 0) return null;
        var list = new List<EnvelopeAddress>(count - 1);
        for (var i = 0; i < count - 1; i++) list.Add(new EnvelopeAddress(ReadString(), ReadString(), ReadString(), ReadString()));
        return list;
    }

    private static InvalidDataException Truncated() => new("Message structure data is truncated.");
}

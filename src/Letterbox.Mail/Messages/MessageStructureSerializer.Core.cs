namespace Letterbox.Mail.Messages;

public static partial class MessageStructureSerializer
{
    /// <summary>Format version written first; bump when the layout changes.</summary>
    internal const byte Version = 1;

    /// <summary>Deepest nesting accepted on read (the analyzer caps at <see cref="MessageAnalyzer.MaxDepth"/>).</summary>
    private const int MaxDepth = 2 * MessageAnalyzer.MaxDepth + 4;

    private static byte[] SerializeCore(MessageStructure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var writer = new StructureWriter();
        writer.WriteByte(Version);
        writer.WriteEnvelope(structure.Envelope);
        writer.WritePart(structure.Body, 0);
        return writer.ToArray();
    }

    private static MessageStructure DeserializeCore(ReadOnlySpan<byte> data)
    {
        var reader = new StructureReader(data);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new InvalidDataException($"Unknown message structure version {version} (expected {Version}); re-analyze the message.");
        }
        var envelope = reader.ReadEnvelope();
        var body = reader.ReadPart(0, MaxDepth);
        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after the message structure.");
        }
        return new MessageStructure { Envelope = envelope, Body = body };
    }
}

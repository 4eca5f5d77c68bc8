namespace Letterbox.Mail.Messages;

// Placeholder until the analyzer lands: the whole message as one text/plain part.
public static partial class MessageAnalyzer
{
    private static MessageStructure AnalyzeCore(Stream message)
    {
        var start = message.CanSeek ? message.Position : 0;
        var length = message.CanSeek ? message.Length - start : 0;
        return new MessageStructure
        {
            Envelope = new Envelope(null, null, null, null, null, null, null, null, null, null),
            Body = new BodyPart { Type = "text", Subtype = "plain", HeaderOffset = 0, BodyOffset = 0, EndOffset = length },
        };
    }
}

public static partial class MessageStructureSerializer
{
    private static byte[] SerializeCore(MessageStructure structure) => throw new NotImplementedException();
    private static MessageStructure DeserializeCore(ReadOnlySpan<byte> data) => throw new NotImplementedException();
}

namespace Letterbox.Mail.Messages;

/// <summary>
/// Compact, versioned binary form of <see cref="MessageStructure"/> for the store's cache column. Deserialize
/// throws <see cref="InvalidDataException"/> on corrupt or unknown-version input.
/// </summary>
public static partial class MessageStructureSerializer
{
    /// <summary>Serializes <paramref name="structure"/>.</summary>
    public static byte[] Serialize(MessageStructure structure) => SerializeCore(structure);

    /// <summary>Deserializes what <see cref="Serialize"/> wrote.</summary>
    public static MessageStructure Deserialize(ReadOnlySpan<byte> data) => DeserializeCore(data);
}

using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Sqlite;

/// <summary>One stored message as the search evaluator sees it; deserializes the cached structure on first use
/// and opens the blob file on demand.</summary>
internal sealed class SearchCandidate(
    BlobFiles blobs, long blobId, uint uid, MessageFlags flags, IReadOnlyList<string> keywords, ulong modSeq,
    DateTimeOffset internalDate, long size, byte[]? structureBytes) : ISearchCandidate
{
    private MessageStructure? _structure;

    public uint Uid { get; } = uid;

    public MessageFlags Flags { get; } = flags;

    public IReadOnlyList<string> Keywords { get; } = keywords;

    public ulong ModSeq { get; } = modSeq;

    public DateTimeOffset InternalDate { get; } = internalDate;

    public long Size { get; } = size;

    public MessageStructure Structure => _structure ??= MessageStructureSerializer.Deserialize(
        structureBytes ?? throw new InvalidOperationException("The search read no structure for a key that needs it."));

    /// <summary>Opens the blob; an empty stream if the message was expunged meanwhile.</summary>
    public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult(blobs.OpenRead(blobId) ?? Stream.Null);
}

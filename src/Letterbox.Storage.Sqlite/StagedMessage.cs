using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

/// <summary>A fsynced file in <c>tmp/</c>. A successful append moves it into <c>blobs/</c> and consumes it;
/// disposing deletes the file if it is still in <c>tmp/</c>.</summary>
internal sealed class StagedMessage(string path, long length) : IStagedMessage
{
    /// <summary>The staging file.</summary>
    public string Path { get; } = path;

    public long Length { get; } = length;

    /// <summary>Set once an append committed this message's bytes as a blob.</summary>
    public bool IsConsumed { get; set; }

    public ValueTask DisposeAsync()
    {
        if (!IsConsumed)
        {
            BlobFiles.TryDelete(Path);
        }
        return ValueTask.CompletedTask;
    }
}

using System.Runtime.CompilerServices;

namespace Letterbox.Mail.Import;

/// <summary>
/// Enumerates messages to import from a path: an mbox file (a file starting with "From "), a single message file,
/// a Maildir (a directory with cur/ or new/, plus Maildir++ folders), or a directory tree of *.eml files.
/// </summary>
public static class MessageSource
{
    /// <summary>
    /// Streams the items found at <paramref name="path"/> in file order. A message that cannot be imported (empty,
    /// not starting with a header field, unreadable, in a folder with an invalid name) is returned with
    /// <see cref="ImportItem.SkipReason"/> set, never thrown. Throws <see cref="FileNotFoundException"/> when
    /// <paramref name="path"/> does not exist. Each item's <see cref="ImportItem.Open"/> opens the bytes lazily.
    /// </summary>
    public static async IAsyncEnumerable<ImportItem> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            await foreach (var item in ReadFileAsync(full, cancellationToken).ConfigureAwait(false)) yield return item;
            yield break;
        }
        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"Import source '{path}' does not exist. Give an mbox file, a Maildir directory, or a directory of .eml files.", path);
        }
        if (MaildirReader.IsMaildir(full))
        {
            await foreach (var item in MaildirReader.ReadAsync(full, cancellationToken).ConfigureAwait(false)) yield return item;
            yield break;
        }
        var files = Directory.EnumerateFiles(full, "*.eml", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await foreach (var item in ReadFileAsync(file, cancellationToken).ConfigureAwait(false)) yield return item;
        }
    }

    /// <summary>One file: an mbox when it starts with "From ", else one message dated by its modification time.</summary>
    private static async IAsyncEnumerable<ImportItem> ReadFileAsync(string file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool isMbox;
        try
        {
            isMbox = StartsWithFrom(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            isMbox = false;
        }
        if (isMbox)
        {
            await foreach (var item in MboxReader.ReadAsync(file, null, cancellationToken).ConfigureAwait(false)) yield return item;
            yield break;
        }
        DateTimeOffset modified;
        try
        {
            modified = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            modified = DateTimeOffset.UtcNow;
        }
        yield return MaildirReader.FileItem(file, null, Messages.MessageFlags.None, modified);
    }

    private static bool StartsWithFrom(string file)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> head = stackalloc byte[5];
        var read = RandomAccess.Read(handle, head, 0);
        return read == 5 && head.SequenceEqual("From "u8);
    }
}

using System.Runtime.CompilerServices;
using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Import;

/// <summary>
/// Reads a Maildir (messages in cur/ and new/; tmp/ is ignored) and its Maildir++ folders: a directory ".Sub.Folder"
/// beside cur/ becomes mailbox "Sub/Folder". Flags come from the ":2," info suffix (S R F T D → \Seen \Answered
/// \Flagged \Deleted \Draft; other letters ignored); INTERNALDATE is the file's modification time. Messages are
/// returned in modification-time order (then file name). Folder names are used as written (Maildir++'s modified
/// UTF-7 is not decoded).
/// </summary>
internal static class MaildirReader
{
    public static bool IsMaildir(string directory)
        => Directory.Exists(Path.Combine(directory, "cur")) || Directory.Exists(Path.Combine(directory, "new"));

    public static async IAsyncEnumerable<ImportItem> ReadAsync(string root, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in ReadFolder(root, null, cancellationToken)) yield return item;
        var folders = Directory.EnumerateDirectories(root)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.Length > 1 && n[0] == '.' && n != "..")
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var folder in folders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = Path.Combine(root, folder!);
            if (!IsMaildir(directory)) continue;
            var name = folder![1..].Replace('.', Mailboxes.MailboxName.Delimiter);
            if (!Mailboxes.MailboxName.IsValid(name, out var reason))
            {
                yield return ImportItem.Skip(null, directory, $"folder name \"{name}\" is not a valid mailbox name: {reason}");
                continue;
            }
            foreach (var item in ReadFolder(directory, Mailboxes.MailboxName.Canonicalize(name), cancellationToken)) yield return item;
            await Task.Yield();
        }
    }

    private static IEnumerable<ImportItem> ReadFolder(string directory, string? mailboxName, CancellationToken cancellationToken)
    {
        var files = new List<(DateTime Modified, string Name, string Path)>();
        foreach (var sub in (ReadOnlySpan<string>)["cur", "new"])
        {
            var dir = Path.Combine(directory, sub);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (name.StartsWith('.')) continue;
                files.Add((File.GetLastWriteTimeUtc(file), name, file));
            }
        }
        files.Sort((a, b) => a.Modified != b.Modified ? a.Modified.CompareTo(b.Modified) : string.CompareOrdinal(a.Name, b.Name));
        foreach (var (modified, name, file) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return FileItem(file, mailboxName, ParseFlags(name), new DateTimeOffset(modified, TimeSpan.Zero));
        }
    }

    /// <summary>Flags from a Maildir file name's info suffix ":2,FLAGS" ("!2," on systems where ':' is not allowed).</summary>
    internal static MessageFlags ParseFlags(string fileName)
    {
        var index = fileName.LastIndexOf(":2,", StringComparison.Ordinal);
        if (index < 0) index = fileName.LastIndexOf("!2,", StringComparison.Ordinal);
        if (index < 0) return MessageFlags.None;
        var flags = MessageFlags.None;
        foreach (var c in fileName.AsSpan(index + 3))
        {
            flags |= c switch
            {
                'S' => MessageFlags.Seen,
                'R' => MessageFlags.Answered,
                'F' => MessageFlags.Flagged,
                'T' => MessageFlags.Deleted,
                'D' => MessageFlags.Draft,
                _ => MessageFlags.None,
            };
        }
        return flags;
    }

    /// <summary>An item for one whole file (Maildir message or .eml), or a skip with the reason.</summary>
    internal static ImportItem FileItem(string path, string? mailboxName, MessageFlags flags, DateTimeOffset internalDate)
    {
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ImportItem.Skip(mailboxName, path, "cannot read: " + ex.Message);
        }
        var reason = MessageSniffer.Check(path, 0, length);
        if (reason is not null) return ImportItem.Skip(mailboxName, path, reason);
        return new ImportItem(mailboxName, () => SliceStream.OpenFile(path, 0, length), flags, internalDate, path, null);
    }
}

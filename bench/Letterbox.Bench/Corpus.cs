using System.Text;
using Letterbox.Mail.Import;

namespace Letterbox.Bench;

/// <summary>
/// The real messages of <c>/work/shared/corpus</c> (every <c>eml/**/*.eml</c> and <c>*.txt</c>, and every
/// message of <c>mbox/*.mbox</c>), held in memory with their Message-ID and Date header fields removed, so copies can be
/// given new ones.
/// </summary>
internal static class Corpus
{
    /// <summary>Finds the corpus: <paramref name="explicitPath"/>, else <c>../shared/corpus</c> beside the repository
    /// root (the directory holding <c>Letterbox.slnx</c>) found from the current or the program's directory.</summary>
    public static string Locate(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return Directory.Exists(explicitPath) ? explicitPath : throw new DirectoryNotFoundException($"No corpus directory '{explicitPath}'.");
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Letterbox.slnx")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus"));
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }
        throw new DirectoryNotFoundException("Cannot find the corpus (../shared/corpus beside the repository); pass --corpus DIR.");
    }

    /// <summary>Loads every message, headers without Message-ID and Date, in a stable order: the .eml and .txt files
    /// under <c>eml/</c>, then each mbox split by Letterbox's own import reader.</summary>
    public static async Task<List<byte[]>> LoadAsync(string corpusDirectory, CancellationToken cancellationToken)
    {
        var messages = new List<byte[]>();
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(corpusDirectory, "eml"), "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(file);
            }
        }
        files.Sort(StringComparer.Ordinal);
        foreach (var file in files)
        {
            messages.Add(WithoutIdentity(await File.ReadAllBytesAsync(file, cancellationToken)));
        }
        var mboxFiles = Directory.GetFiles(corpusDirectory, "*.mbox", SearchOption.AllDirectories);
        Array.Sort(mboxFiles, StringComparer.Ordinal);
        foreach (var file in mboxFiles)
        {
            await foreach (var item in MessageSource.ReadAsync(file, cancellationToken))
            {
                if (item.Open is null)
                {
                    continue;
                }
                await using var stream = item.Open();
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                messages.Add(WithoutIdentity(copy.ToArray()));
            }
        }
        if (messages.Count == 0)
        {
            throw new InvalidOperationException($"The corpus '{corpusDirectory}' holds no messages.");
        }
        return messages;
    }

    /// <summary>The message with its Message-ID and Date fields (and their folded continuations) removed.</summary>
    private static byte[] WithoutIdentity(byte[] message)
    {
        var output = new MemoryStream(message.Length);
        var position = 0;
        var dropping = false;
        while (position < message.Length)
        {
            var newline = Array.IndexOf(message, (byte)'\n', position);
            var end = newline < 0 ? message.Length : newline + 1;
            var line = message.AsSpan(position, end - position);
            if (line.TrimEnd("\r\n"u8).Length == 0)
            {
                output.Write(message.AsSpan(position));
                break;
            }
            var continuation = line[0] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                dropping = IsField(line, "message-id") || IsField(line, "date");
            }
            if (!dropping)
            {
                output.Write(line);
            }
            position = end;
        }
        return output.ToArray();
    }

    private static bool IsField(ReadOnlySpan<byte> line, string name)
    {
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            return false;
        }
        var field = Encoding.ASCII.GetString(line[..colon]).TrimEnd();
        return string.Equals(field, name, StringComparison.OrdinalIgnoreCase);
    }
}

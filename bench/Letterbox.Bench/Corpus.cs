using System.Text;

namespace Letterbox.Bench;

/// <summary>
/// The real messages of <c>/work/shared/corpus</c> (every <c>eml/**/*.eml</c> and every message of
/// <c>mbox/*.mbox</c>), held in memory with their Message-ID and Date header fields removed, so copies can be
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

    /// <summary>Loads every message, headers without Message-ID and Date, in a stable order.</summary>
    public static List<byte[]> Load(string corpusDirectory)
    {
        var messages = new List<byte[]>();
        var emlFiles = Directory.GetFiles(corpusDirectory, "*.eml", SearchOption.AllDirectories);
        Array.Sort(emlFiles, StringComparer.Ordinal);
        foreach (var file in emlFiles)
        {
            messages.Add(WithoutIdentity(File.ReadAllBytes(file)));
        }
        var mboxFiles = Directory.GetFiles(corpusDirectory, "*.mbox", SearchOption.AllDirectories);
        Array.Sort(mboxFiles, StringComparer.Ordinal);
        foreach (var file in mboxFiles)
        {
            foreach (var message in SplitMbox(File.ReadAllBytes(file)))
            {
                messages.Add(WithoutIdentity(message));
            }
        }
        if (messages.Count == 0)
        {
            throw new InvalidOperationException($"The corpus '{corpusDirectory}' holds no messages.");
        }
        return messages;
    }

    /// <summary>Splits an mbox (mboxrd/mboxo: a message starts at a "From " line at the file start or after a blank
    /// line) and un-escapes "&gt;From " lines. Good enough for seeding a benchmark; the importer uses the Mail readers.</summary>
    private static List<byte[]> SplitMbox(byte[] bytes)
    {
        var result = new List<byte[]>();
        var current = new MemoryStream();
        var position = 0;
        var previousBlank = true;
        var inMessage = false;
        while (position < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', position);
            var end = newline < 0 ? bytes.Length : newline + 1;
            var line = bytes.AsSpan(position, end - position);
            if (previousBlank && line.StartsWith("From "u8))
            {
                if (inMessage && current.Length > 0)
                {
                    result.Add(current.ToArray());
                }
                current.SetLength(0);
                inMessage = true;
            }
            else if (inMessage)
            {
                var unescaped = line;
                var quotes = 0;
                while (quotes < unescaped.Length && unescaped[quotes] == (byte)'>')
                {
                    quotes++;
                }
                if (quotes > 0 && unescaped[quotes..].StartsWith("From "u8))
                {
                    unescaped = unescaped[1..];
                }
                current.Write(unescaped);
            }
            var content = line.TrimEnd("\r\n"u8);
            previousBlank = content.Length == 0;
            position = end;
        }
        if (inMessage && current.Length > 0)
        {
            result.Add(current.ToArray());
        }
        return result;
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

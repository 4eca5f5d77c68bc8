using Microsoft.Win32.SafeHandles;

namespace Letterbox.Mail.Import;

/// <summary>Cheap checks that a byte range looks like a message (RFC 5322 §2.2: it starts with a header field),
/// so garbage is reported as skipped rather than imported.</summary>
internal static class MessageSniffer
{
    private const int HeadLength = 1000;

    /// <summary>Reads the start of [<paramref name="offset"/>, +<paramref name="length"/>) of a file and returns why it is
    /// not a message, or null when it looks like one. I/O errors become a reason.</summary>
    public static string? Check(string path, long offset, long length)
    {
        if (length <= 0) return "empty message";
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var head = new byte[(int)Math.Min(HeadLength, length)];
            var read = RandomAccess.Read(handle, head, offset);
            return Check(head.AsSpan(0, read));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "cannot read: " + ex.Message;
        }
    }

    /// <summary>Returns why <paramref name="head"/> (the first bytes of a message) is not a message, or null.</summary>
    public static string? Check(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return "empty message";
        if (head.TrimEnd("\r\n\t "u8).IsEmpty) return "message has only white space";
        var i = 0;
        while (i < head.Length && head[i] > 32 && head[i] < 127 && head[i] != ':') i++;
        var nameLength = i;
        while (i < head.Length && (head[i] == ' ' || head[i] == '\t')) i++;
        if (nameLength == 0 || i >= head.Length || head[i] != ':')
        {
            return "not a message: the first line is not a header field (\"Name: value\")";
        }
        return null;
    }
}

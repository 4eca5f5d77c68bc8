using System.Buffers;

namespace Letterbox.Mail.Messages;

/// <summary>Counts line feeds in a byte range of a seekable stream (the IMAP body "lines" of a part).</summary>
internal static class LineCounter
{
    /// <summary>Number of LF octets in [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="stream"/>
    /// (absolute positions). Leaves the stream positioned anywhere.</summary>
    public static long Count(Stream stream, long from, long to)
    {
        if (to <= from) return 0;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            stream.Position = from;
            long remaining = to - from;
            long lines = 0;
            while (remaining > 0)
            {
                var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (read <= 0) break;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                remaining -= read;
            }
            return lines;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

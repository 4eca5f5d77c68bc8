using System.Buffers;
using System.Text;
using Letterbox.Imap.Responses;

namespace Letterbox.Imap.Tests.Responses;

/// <summary>Runs writer calls into a buffer and returns the bytes as a string (UTF-8).</summary>
internal static class WriterHarness
{
    public static string Write(Action<ImapResponseWriter> write, bool allowUtf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(new ImapResponseWriter(buffer, allowUtf8));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using System.Buffers;
using System.Buffers.Text;

namespace Letterbox.Imap.Responses;

/// <summary>
/// Writes IMAP server responses straight into an <see cref="IBufferWriter{T}"/> of bytes (usually the
/// connection's <c>PipeWriter</c>), with no intermediate strings. This file holds the byte-level primitives;
/// strings, lists and status lines are in the other <c>ImapResponseWriter.*.cs</c> partials.
/// </summary>
/// <remarks>
/// RFC 9051 §7 (server responses) and §9 (formal syntax). The writer never flushes: the session flushes
/// once per batch of responses. One writer per connection; not thread-safe.
/// </remarks>
public sealed partial class ImapResponseWriter
{
    private IBufferWriter<byte> _output;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="allowUtf8">Initial value of <see cref="AllowUtf8"/>.</param>
    public ImapResponseWriter(IBufferWriter<byte> output, bool allowUtf8 = false)
    {
        _output = output;
        AllowUtf8 = allowUtf8;
    }

    /// <summary>
    /// True once the client has enabled UTF8=ACCEPT (RFC 6855) or IMAP4rev2 (RFC 9051 §6.3.1): quoted strings
    /// may then carry UTF-8 and mailbox names are sent as UTF-8 instead of modified UTF-7.
    /// </summary>
    public bool AllowUtf8 { get; set; }

    /// <summary>Writes to <paramref name="output"/> from now on: the connection's transport changed (STARTTLS,
    /// RFC 9051 §6.2.1). Anything not yet flushed to the old output is the caller's business.</summary>
    public void Retarget(IBufferWriter<byte> output) => _output = output;

    /// <summary>The underlying output, for callers that copy literal bytes after <see cref="WriteLiteralHeader"/>.</summary>
    public IBufferWriter<byte> Output => _output;

    /// <summary>Writes <paramref name="bytes"/> as they are (atoms, keywords, <c>"..."u8</c> constants).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value)
    {
        var span = _output.GetSpan(1);
        span[0] = value;
        _output.Advance(1);
    }

    /// <summary>Writes a space (<c>SP</c>).</summary>
    public void WriteSpace() => WriteByte((byte)' ');

    /// <summary>Writes <c>(</c>.</summary>
    public void WriteOpenParen() => WriteByte((byte)'(');

    /// <summary>Writes <c>)</c>.</summary>
    public void WriteCloseParen() => WriteByte((byte)')');

    /// <summary>Writes <c>NIL</c>.</summary>
    public void WriteNil() => WriteRaw("NIL"u8);

    /// <summary>Writes <c>CRLF</c>, ending a response line.</summary>
    public void WriteCrlf() => WriteRaw("\r\n"u8);

    /// <summary>
    /// Writes an ASCII atom or keyword given as a string, byte per char. The caller guarantees it is ASCII
    /// and valid where it is written (e.g. a flag keyword or capability name); see <see cref="WriteAString"/>
    /// for arbitrary text.
    /// </summary>
    public void WriteAtom(string atom)
    {
        var span = _output.GetSpan(atom.Length);
        for (var i = 0; i < atom.Length; i++)
        {
            span[i] = (byte)atom[i];
        }
        _output.Advance(atom.Length);
    }

    /// <summary>Writes a decimal number (RFC 9051 <c>number</c>/<c>nz-number</c>).</summary>
    public void WriteNumber(uint value)
    {
        var span = _output.GetSpan(10);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    /// <summary>Writes a decimal number (RFC 9051 <c>number64</c>, e.g. MODSEQ).</summary>
    public void WriteNumber(ulong value)
    {
        var span = _output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    /// <summary>Writes a decimal number (RFC 9051 <c>number64</c>). Negative values are written as 0, which no
    /// IMAP number may be.</summary>
    public void WriteNumber(long value) => WriteNumber(value < 0 ? 0UL : (ulong)value);

    /// <summary>
    /// Writes a literal's header <c>{length}CRLF</c> (RFC 9051 §4.3). The caller then writes exactly
    /// <paramref name="length"/> octets to <see cref="Output"/> (e.g. with
    /// <see cref="Mime.SectionContent.CopyToAsync"/>), so a large BODY[] streams from the store.
    /// </summary>
    public void WriteLiteralHeader(long length)
    {
        WriteByte((byte)'{');
        WriteNumber(length);
        WriteRaw("}\r\n"u8);
    }
}

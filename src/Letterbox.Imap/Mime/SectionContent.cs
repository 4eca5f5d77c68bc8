using System.IO.Pipelines;

namespace Letterbox.Imap.Mime;

/// <summary>
/// The octets of one FETCH body section (RFC 9051 §6.4.5 / §7.5.2 <c>BODY[section]&lt;origin&gt;</c>): either a
/// range of the stored message, streamed by <see cref="CopyToAsync"/> without loading it whole, or a small
/// buffer built in memory (HEADER.FIELDS filtering). Produced by <see cref="SectionReader"/>.
/// </summary>
public readonly struct SectionContent
{
    private readonly byte[]? _buffer;

    private SectionContent(byte[]? buffer, long offset, long length)
    {
        _buffer = buffer;
        Offset = offset;
        Length = length;
    }

    /// <summary>The empty section (missing part, or partial origin past the end).</summary>
    public static SectionContent Empty => default;

    /// <summary>
    /// Start of the content: a byte offset in the stored message when <see cref="IsRange"/>, else an offset
    /// in the in-memory buffer.
    /// </summary>
    public long Offset { get; }

    /// <summary>Length in octets: the size to announce with <c>{n}</c> before <see cref="CopyToAsync"/>.</summary>
    public long Length { get; }

    /// <summary>True when the content is a range of the stored message (no bytes held in memory).</summary>
    public bool IsRange => _buffer is null;

    /// <summary>Content held in memory, viewed as a span; empty when <see cref="IsRange"/>.</summary>
    public ReadOnlySpan<byte> Buffer => _buffer is null ? default : _buffer.AsSpan((int)Offset, (int)Length);

    /// <summary>A range of <paramref name="length"/> octets at byte <paramref name="offset"/> of the stored message.</summary>
    public static SectionContent FromRange(long offset, long length) =>
        length <= 0 ? Empty : new SectionContent(null, offset, length);

    /// <summary>Content held in <paramref name="bytes"/> (not copied).</summary>
    public static SectionContent FromBytes(byte[] bytes) => bytes.Length == 0 ? Empty : new SectionContent(bytes, 0, bytes.Length);

    /// <summary>
    /// Applies a partial fetch <c>&lt;origin.count&gt;</c> (RFC 9051 §6.4.5): the octets from
    /// <paramref name="origin"/>, at most <paramref name="count"/> of them (null = to the end). An origin at or
    /// past the end gives <see cref="Empty"/>.
    /// </summary>
    public SectionContent Slice(long origin, long? count)
    {
        if (origin < 0 || origin >= Length)
        {
            return Empty;
        }
        var length = Length - origin;
        if (count is { } c && c < length)
        {
            length = c;
        }
        return length <= 0 ? Empty : new SectionContent(_buffer, Offset + origin, length);
    }

    /// <summary>
    /// Copies the content to <paramref name="output"/>: exactly <see cref="Length"/> octets, read from
    /// <paramref name="message"/> (a seekable stream of the stored message) in chunks and flushed every 64 KiB
    /// so large bodies stream. Write the literal header first (<c>ImapResponseWriter.WriteLiteralHeader</c>).
    /// Throws <see cref="InvalidDataException"/> if the stored message ends before the range does (the literal
    /// length is already on the wire; the connection should be dropped).
    /// </summary>
    public async ValueTask CopyToAsync(Stream message, PipeWriter output, CancellationToken cancellationToken)
    {
        if (Length == 0)
        {
            return;
        }
        if (_buffer is not null)
        {
            var memory = output.GetMemory((int)Length);
            _buffer.AsMemory((int)Offset, (int)Length).CopyTo(memory);
            output.Advance((int)Length);
            return;
        }

        const int chunk = 64 * 1024;
        message.Position = Offset;
        var remaining = Length;
        while (remaining > 0)
        {
            var memory = output.GetMemory((int)Math.Min(chunk, remaining));
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }
            var read = await message.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException(
                    $"The stored message ended {remaining} octets before the end of the requested section; the store is corrupt.");
            }
            output.Advance(read);
            remaining -= read;
            if (output.UnflushedBytes >= chunk)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

using System.Buffers;
using Letterbox.Mail.Store;

namespace Letterbox.Imap.Parsing;

/// <summary>
/// Resumable, bounded reader of IMAP commands (RFC 9051 §2.2, §4.3 literals, RFC 7888 LITERAL+): bytes in,
/// a command, "need more", a continuation request, "stream this APPEND literal" or a precise error out.
/// One instance per connection; not thread-safe.
/// </summary>
/// <remarks>
/// The reader assembles one command at a time in a pooled buffer: its lines without CRLF and, right after each
/// <c>{n}</c> announcement, the literal's data. APPEND message literals are never buffered: the caller streams them
/// into a stager and hands the staged message back with <see cref="SupplyStagedLiteral"/>.
/// </remarks>
public sealed partial class ImapRequestReader
{
    private const int InitialBufferSize = 4096;
    private const int RetainedBufferSize = 65536;

    private readonly ImapLimits _limits;
    private readonly List<int> _literalStarts = [];
    private readonly List<int> _streamedStarts = [];
    private readonly List<IStagedMessage> _staged = [];
    private readonly byte[] _tail = new byte[32];
    private byte[] _buf;
    private int _len;
    private int _lineStart;
    private State _state;
    private long _literalRemaining;
    private long _discardSkip;
    private int _tailLen;
    private long _pendingLength;
    private ReadOutcome _pendingError;

    private enum State
    {
        Line,
        LiteralData,
        StreamPending,
        AwaitSupply,
        Discard,
    }

    /// <summary>Creates a reader enforcing <paramref name="limits"/>.</summary>
    public ImapRequestReader(ImapLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _buf = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>
    /// Examines the buffered bytes and sets <paramref name="consumed"/> past what it used. On
    /// <see cref="ReadStatus.NeedMoreData"/> call <c>PipeReader.AdvanceTo(consumed, buffer.End)</c>, otherwise
    /// <c>AdvanceTo(consumed)</c>, and act on the outcome (see <see cref="ReadStatus"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called after <see cref="ReadStatus.StreamLiteral"/> without
    /// <see cref="SupplyStagedLiteral"/>.</exception>
    public ReadOutcome Read(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        var outcome = ReadCore(ref reader);
        consumed = reader.Position;
        return outcome;
    }

    /// <summary>
    /// Hands over the APPEND message the caller streamed (exactly the announced length) after
    /// <see cref="ReadStatus.StreamLiteral"/>; the reader owns it until it returns the command (or disposes it if
    /// the command turns out to be invalid).
    /// </summary>
    public void SupplyStagedLiteral(IStagedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_state != State.AwaitSupply)
        {
            throw new InvalidOperationException("No APPEND literal is being streamed.");
        }
        _staged.Add(message);
        _state = State.Line;
        _lineStart = _len;
    }

    /// <summary>True while part of a command has been read (a partial line, or a literal announced but not complete):
    /// the client is in the middle of a command, so unsolicited responses such as NOTIFY's wait (RFC 5465 §3.1).</summary>
    public bool InRequest => _state != State.Line || _len > 0;

    /// <summary>Drops any partial command (e.g. after STARTTLS), disposing staged messages it held.</summary>
    public void Reset()
    {
        ResetCommand(disposeStaged: true);
        _state = State.Line;
        _discardSkip = 0;
        _literalRemaining = 0;
        _tailLen = 0;
    }

    /// <summary>
    /// Reads one raw line (AUTHENTICATE responses, IDLE's <c>DONE</c>), without its CRLF (a bare LF is accepted).
    /// Returns false when no line end is buffered yet. When the line exceeds <paramref name="maxLength"/> bytes,
    /// returns true with <paramref name="tooLong"/> set and an empty line: <paramref name="consumed"/> is past the
    /// line end, or at the buffer end when none is buffered (the caller should then fail the exchange).
    /// </summary>
    public static bool TryReadLine(ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> line,
        out SequencePosition consumed, out bool tooLong)
    {
        var reader = new SequenceReader<byte>(buffer);
        tooLong = false;
        line = default;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> found, (byte)'\n'))
        {
            if (buffer.Length > maxLength + 1)
            {
                tooLong = true;
                consumed = buffer.End;
                return true;
            }
            consumed = buffer.Start;
            return false;
        }
        consumed = reader.Position;
        if (found.Length > 0 && EndsWithCr(found))
        {
            found = found.Slice(0, found.Length - 1);
        }
        if (found.Length > maxLength)
        {
            tooLong = true;
            return true;
        }
        line = found;
        return true;
    }

    private static bool EndsWithCr(ReadOnlySequence<byte> s)
    {
        var last = s.Slice(s.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }

    private ReadOutcome ReadCore(ref SequenceReader<byte> reader)
    {
        while (true)
        {
            switch (_state)
            {
                case State.AwaitSupply:
                    throw new InvalidOperationException("Stream the APPEND literal and call SupplyStagedLiteral first.");
                case State.StreamPending:
                    _state = State.AwaitSupply;
                    return new ReadOutcome(ReadStatus.StreamLiteral, LiteralLength: _pendingLength);
                case State.LiteralData:
                    if (!ReadLiteralData(ref reader))
                    {
                        return new ReadOutcome(ReadStatus.NeedMoreData);
                    }
                    break;
                case State.Discard:
                    {
                        var done = Discard(ref reader);
                        if (done is { } error)
                        {
                            return error;
                        }
                        if (_state == State.Discard)
                        {
                            return new ReadOutcome(ReadStatus.NeedMoreData);
                        }
                        break;
                    }
                default:
                    {
                        var result = ReadLine(ref reader);
                        if (result is { } r)
                        {
                            return r;
                        }
                        break;
                    }
            }
        }
    }

    private bool ReadLiteralData(ref SequenceReader<byte> reader)
    {
        var take = (int)Math.Min(_literalRemaining, reader.Remaining);
        if (take > 0)
        {
            reader.UnreadSequence.Slice(0, take).CopyTo(_buf.AsSpan(_len));
            _len += take;
            reader.Advance(take);
            _literalRemaining -= take;
        }
        if (_literalRemaining > 0)
        {
            return false;
        }
        _state = State.Line;
        _lineStart = _len;
        return true;
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= _buf.Length)
        {
            return;
        }
        var size = (int)Math.Max(needed, Math.Min((long)_buf.Length * 2, _limits.MaxCommandLength + 64));
        var next = ArrayPool<byte>.Shared.Rent(size);
        _buf.AsSpan(0, _len).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buf);
        _buf = next;
    }

    private void ResetCommand(bool disposeStaged)
    {
        _len = 0;
        _lineStart = 0;
        _literalStarts.Clear();
        _streamedStarts.Clear();
        if (disposeStaged)
        {
            for (var i = 0; i < _staged.Count; i++)
            {
                _ = DisposeQuietlyAsync(_staged[i]);
            }
        }
        _staged.Clear();
        if (_buf.Length > RetainedBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }
    }

    private static async Task DisposeQuietlyAsync(IStagedMessage message)
    {
        try
        {
            await message.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Discarding a staged message of a rejected command is best effort; the stager cleans up later.
        }
    }
}

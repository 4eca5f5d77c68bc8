using System.Buffers;
using System.Globalization;
using System.Text;
using Letterbox.Imap.Commands;

namespace Letterbox.Imap.Parsing;

/// <summary>Line framing, literal announcements and skipping of rejected commands.</summary>
public sealed partial class ImapRequestReader
{
    private ReadOutcome? ReadLine(ref SequenceReader<byte> reader)
    {
        var lineLength = _len - _lineStart;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> seg, (byte)'\n'))
        {
            var rest = reader.UnreadSequence;
            if (lineLength + rest.Length > _limits.MaxLineLength + 1)
            {
                StartDiscard(LineTooLong(rest));
                FeedTail(rest);
                reader.Advance(rest.Length);
                return null;
            }
            EnsureCapacity(_len + rest.Length);
            rest.CopyTo(_buf.AsSpan(_len));
            _len += (int)rest.Length;
            reader.Advance(rest.Length);
            return new ReadOutcome(ReadStatus.NeedMoreData);
        }
        if (lineLength + seg.Length > _limits.MaxLineLength + 1)
        {
            StartDiscard(LineTooLong(seg));
            FeedTail(seg);
            return DiscardLineEnded();
        }
        if (_len + seg.Length > _limits.MaxCommandLength)
        {
            StartDiscard(Error(ExtractTag(), "Command too long", "TOOBIG"));
            FeedTail(seg);
            return DiscardLineEnded();
        }
        EnsureCapacity(_len + seg.Length);
        seg.CopyTo(_buf.AsSpan(_len));
        _len += (int)seg.Length;
        if (_len > _lineStart && _buf[_len - 1] == (byte)'\r')
        {
            _len--;
        }
        if (_len == 0)
        {
            return null; // empty line between commands: ignored
        }
        if (!TryParseAnnouncement(_buf.AsSpan(_lineStart, _len - _lineStart), out var length, out var nonSync,
            out var headerOffset, out var overflow))
        {
            return Complete();
        }
        return Announce(_lineStart + headerOffset, length, nonSync, overflow);
    }

    private ReadOutcome? Announce(int headerStart, long length, bool nonSync, bool overflow)
    {
        var tag = ExtractTag();
        var isMessage = IsAppendMessageLiteral(headerStart);
        var limit = isMessage ? _limits.MaxAppendLiteralLength : _limits.MaxInlineLiteralLength;
        if (overflow || length > limit || (!isMessage && _len + length > _limits.MaxCommandLength))
        {
            var text = isMessage
                ? $"Message too large: {length} bytes, the limit is {_limits.MaxAppendLiteralLength}"
                : $"Literal too large: {length} bytes, the limit is {Math.Min(limit, _limits.MaxCommandLength)}";
            var error = Error(tag, text, "TOOBIG");
            if (!nonSync)
            {
                ResetCommand(disposeStaged: true);
                return error;
            }
            if (overflow)
            {
                ResetCommand(disposeStaged: true);
                return error with { CloseConnection = true };
            }
            StartDiscard(error);
            _discardSkip = length;
            return null;
        }
        if (isMessage)
        {
            _streamedStarts.Add(_len);
            _pendingLength = length;
            if (nonSync)
            {
                _state = State.AwaitSupply;
                return new ReadOutcome(ReadStatus.StreamLiteral, LiteralLength: length);
            }
            _state = State.StreamPending;
            return new ReadOutcome(ReadStatus.SendContinuation);
        }
        _literalStarts.Add(_len);
        EnsureCapacity(_len + length);
        _literalRemaining = length;
        _state = State.LiteralData;
        return nonSync ? null : new ReadOutcome(ReadStatus.SendContinuation);
    }

    private ReadOutcome Complete()
    {
        string? tag = null;
        try
        {
            var parser = new ImapParser(_buf.AsSpan(0, _len), _limits, _literalStarts, _streamedStarts, _staged);
            tag = parser.Tag();
            var command = CommandParser.Command(ref parser);
            var request = new ImapRequest(tag, command);
            ResetCommand(disposeStaged: false);
            return new ReadOutcome(ReadStatus.Request, request);
        }
        catch (ImapParseException e)
        {
            ResetCommand(disposeStaged: true);
            return new ReadOutcome(ReadStatus.Error, Tag: tag, ErrorText: e.Message, ResponseCode: e.ResponseCode, IsNo: e.IsNo);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            ResetCommand(disposeStaged: true);
            return new ReadOutcome(ReadStatus.Error, Tag: tag, ErrorText: "Invalid command arguments");
        }
    }

    private static ReadOutcome Error(string? tag, string text, string? code = null) =>
        new(ReadStatus.Error, Tag: tag, ErrorText: text, ResponseCode: code);

    private ReadOutcome LineTooLong(ReadOnlySequence<byte> data)
    {
        string? tag;
        if (_len > 0)
        {
            tag = ExtractTag();
        }
        else
        {
            // Nothing buffered yet: look for the tag at the start of the rejected bytes.
            Span<byte> head = stackalloc byte[(int)Math.Min(data.Length, 256)];
            data.Slice(0, head.Length).CopyTo(head);
            tag = ExtractTag(head, _limits.MaxTagLength);
        }
        return Error(tag, $"Line too long: the limit is {_limits.MaxLineLength} bytes", "TOOBIG");
    }

    private void StartDiscard(ReadOutcome error)
    {
        _pendingError = error;
        _state = State.Discard;
        _tailLen = 0;
        _discardSkip = 0;
    }

    /// <summary>Skips literal data and lines of a rejected command; returns its error once through its end.</summary>
    private ReadOutcome? Discard(ref SequenceReader<byte> reader)
    {
        if (_discardSkip > 0)
        {
            var skip = Math.Min(_discardSkip, reader.Remaining);
            reader.Advance(skip);
            _discardSkip -= skip;
            if (_discardSkip > 0)
            {
                return null;
            }
        }
        if (!reader.TryReadTo(out ReadOnlySequence<byte> seg, (byte)'\n'))
        {
            var rest = reader.UnreadSequence;
            FeedTail(rest);
            reader.Advance(rest.Length);
            return null;
        }
        FeedTail(seg);
        return DiscardLineEnded();
    }

    private ReadOutcome? DiscardLineEnded()
    {
        var tail = _tail.AsSpan(0, _tailLen);
        if (tail.Length > 0 && tail[^1] == (byte)'\r')
        {
            tail = tail[..^1];
        }
        _tailLen = 0;
        if (TryParseAnnouncement(tail, out var length, out var nonSync, out _, out var overflow) && nonSync)
        {
            if (overflow)
            {
                ResetCommand(disposeStaged: true);
                _state = State.Line;
                return _pendingError with { CloseConnection = true };
            }
            _discardSkip = length;
            return null;
        }
        ResetCommand(disposeStaged: true);
        _state = State.Line;
        return _pendingError;
    }

    private void FeedTail(ReadOnlySequence<byte> data)
    {
        if (data.Length >= _tail.Length)
        {
            data.Slice(data.Length - _tail.Length).CopyTo(_tail);
            _tailLen = _tail.Length;
            return;
        }
        var n = (int)data.Length;
        if (_tailLen + n > _tail.Length)
        {
            var keep = _tail.Length - n;
            _tail.AsSpan(_tailLen - keep, keep).CopyTo(_tail);
            _tailLen = keep;
        }
        data.CopyTo(_tail.AsSpan(_tailLen));
        _tailLen += n;
    }

    /// <summary>Finds <c>{n}</c>, <c>{n+}</c> or <c>~{n}</c> at the end of a line (RFC 9051 §4.3, RFC 7888).</summary>
    private static bool TryParseAnnouncement(ReadOnlySpan<byte> line, out long length, out bool nonSync,
        out int headerOffset, out bool overflow)
    {
        length = 0;
        nonSync = false;
        headerOffset = 0;
        overflow = false;
        var i = line.Length - 1;
        if (i < 2 || line[i] != (byte)'}')
        {
            return false;
        }
        i--;
        if (line[i] == (byte)'+')
        {
            nonSync = true;
            i--;
        }
        var end = i + 1;
        while (i >= 0 && line[i] >= (byte)'0' && line[i] <= (byte)'9')
        {
            i--;
        }
        var digits = line[(i + 1)..end];
        if (digits.Length == 0 || i < 0 || line[i] != (byte)'{')
        {
            return false;
        }
        headerOffset = i > 0 && line[i - 1] == (byte)'~' ? i - 1 : i;
        if (digits.Length > 18)
        {
            overflow = true;
            length = long.MaxValue;
            return true;
        }
        length = long.Parse(Encoding.ASCII.GetString(digits), NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The tag at the start of the command, or null when missing, invalid or too long.</summary>
    private string? ExtractTag() => ExtractTag(_buf.AsSpan(0, _len), _limits.MaxTagLength);

    private static string? ExtractTag(ReadOnlySpan<byte> s, int maxTagLength)
    {
        var n = 0;
        while (n < s.Length && ImapParser.IsTagChar(s[n]))
        {
            n++;
        }
        if (n == 0 || n > maxTagLength || n >= s.Length || s[n] != (byte)' ')
        {
            return null;
        }
        return Encoding.ASCII.GetString(s[..n]);
    }

    /// <summary>True when the literal starting at <paramref name="headerStart"/> is APPEND message data: the command is
    /// APPEND and the literal is not the mailbox name (which directly follows the command name).</summary>
    private bool IsAppendMessageLiteral(int headerStart)
    {
        var s = _buf.AsSpan(0, _len);
        var i = s.IndexOf((byte)' ');
        if (i < 0)
        {
            return false;
        }
        while (i < s.Length && s[i] == (byte)' ')
        {
            i++;
        }
        var start = i;
        while (i < s.Length && s[i] != (byte)' ')
        {
            i++;
        }
        if (!ImapParser.EqualsIgnoreCase(s[start..i], "APPEND"u8))
        {
            return false;
        }
        while (i < s.Length && s[i] == (byte)' ')
        {
            i++;
        }
        return headerStart > i;
    }
}

using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Responses;

public sealed partial class ImapResponseWriter
{
    private static ReadOnlySpan<byte> MonthNames => "JanFebMarAprMayJunJulAugSepOctNovDec"u8;

    /// <summary>
    /// Writes a parenthesized flag list (RFC 9051 §9 <c>flag-list</c>, §2.3.2): system flags in the order
    /// <c>\Seen \Answered \Flagged \Deleted \Draft</c>, then <paramref name="keywords"/> in the given order,
    /// then <c>\*</c> when <paramref name="wildcard"/> (for PERMANENTFLAGS, §7.1). Keywords that are not
    /// atoms cannot be sent and are skipped (the store should never hold one). Example: <c>(\Seen $Label)</c>.
    /// </summary>
    public void WriteFlagList(MessageFlags flags, IReadOnlyList<string> keywords, bool wildcard = false)
    {
        WriteOpenParen();
        var first = true;
        if ((flags & MessageFlags.Seen) != 0)
        {
            WriteFlag(@"\Seen"u8, ref first);
        }
        if ((flags & MessageFlags.Answered) != 0)
        {
            WriteFlag(@"\Answered"u8, ref first);
        }
        if ((flags & MessageFlags.Flagged) != 0)
        {
            WriteFlag(@"\Flagged"u8, ref first);
        }
        if ((flags & MessageFlags.Deleted) != 0)
        {
            WriteFlag(@"\Deleted"u8, ref first);
        }
        if ((flags & MessageFlags.Draft) != 0)
        {
            WriteFlag(@"\Draft"u8, ref first);
        }
        for (var i = 0; i < keywords.Count; i++)
        {
            var keyword = keywords[i];
            if (!IsAtom(keyword))
            {
                continue;
            }
            if (!first)
            {
                WriteSpace();
            }
            first = false;
            WriteAtom(keyword);
        }
        if (wildcard)
        {
            WriteFlag(@"\*"u8, ref first);
        }
        WriteCloseParen();
    }

    /// <summary>
    /// Writes UIDs or sequence numbers in compact <c>sequence-set</c> form (RFC 9051 §9; RFC 4315 <c>uid-set</c>),
    /// keeping their order and joining runs that ascend by one: <c>[1,2,3,5,7,8,9]</c> → <c>1:3,5,7:9</c>.
    /// Because order is kept, the source and destination sets of COPYUID stay pairwise aligned. Repeated
    /// numbers are written once. Writes nothing for an empty list (callers must not send an empty set).
    /// </summary>
    public void WriteSequenceSet(ReadOnlySpan<uint> numbers)
    {
        var i = 0;
        var first = true;
        while (i < numbers.Length)
        {
            var start = numbers[i];
            var end = start;
            i++;
            while (i < numbers.Length && (numbers[i] == end + 1 || numbers[i] == end) && end != uint.MaxValue)
            {
                end = numbers[i];
                i++;
            }
            if (!first)
            {
                WriteByte((byte)',');
            }
            first = false;
            WriteNumber(start);
            if (end != start)
            {
                WriteByte((byte)':');
                WriteNumber(end);
            }
        }
    }

    /// <summary>Writes <paramref name="numbers"/> per <see cref="WriteSequenceSet(ReadOnlySpan{uint})"/>.</summary>
    public void WriteSequenceSet(IReadOnlyList<uint> numbers)
    {
        if (numbers is uint[] array)
        {
            WriteSequenceSet(array.AsSpan());
            return;
        }
        if (numbers is List<uint> list)
        {
            WriteSequenceSet(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
            return;
        }
        var copy = new uint[numbers.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = numbers[i];
        }
        WriteSequenceSet(copy.AsSpan());
    }

    /// <summary>
    /// Writes a quoted <c>date-time</c> (RFC 9051 §9), e.g. <c>" 1-Jan-2024 10:00:00 +0000"</c>, in the value's
    /// own offset (INTERNALDATE, §7.5.2). Offsets are rounded down to whole minutes.
    /// </summary>
    public void WriteDateTime(DateTimeOffset value)
    {
        var span = _output.GetSpan(28);
        span[0] = (byte)'"';
        var day = value.Day;
        span[1] = day < 10 ? (byte)' ' : (byte)('0' + (day / 10));
        span[2] = (byte)('0' + (day % 10));
        span[3] = (byte)'-';
        MonthNames.Slice((value.Month - 1) * 3, 3).CopyTo(span[4..]);
        span[7] = (byte)'-';
        var year = value.Year;
        span[8] = (byte)('0' + (year / 1000));
        span[9] = (byte)('0' + (year / 100 % 10));
        span[10] = (byte)('0' + (year / 10 % 10));
        span[11] = (byte)('0' + (year % 10));
        span[12] = (byte)' ';
        TwoDigits(span[13..], value.Hour);
        span[15] = (byte)':';
        TwoDigits(span[16..], value.Minute);
        span[18] = (byte)':';
        TwoDigits(span[19..], value.Second);
        span[21] = (byte)' ';
        var offset = (int)(value.Offset.Ticks / TimeSpan.TicksPerMinute);
        span[22] = offset < 0 ? (byte)'-' : (byte)'+';
        offset = Math.Abs(offset);
        TwoDigits(span[23..], offset / 60);
        TwoDigits(span[25..], offset % 60);
        span[27] = (byte)'"';
        _output.Advance(28);
    }

    private static void TwoDigits(Span<byte> span, int value)
    {
        span[0] = (byte)('0' + (value / 10));
        span[1] = (byte)('0' + (value % 10));
    }

    private void WriteFlag(ReadOnlySpan<byte> flag, ref bool first)
    {
        if (!first)
        {
            WriteSpace();
        }
        first = false;
        WriteRaw(flag);
    }
}

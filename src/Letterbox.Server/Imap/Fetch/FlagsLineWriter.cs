using System.Buffers;
using System.Buffers.Text;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Server.Imap.Fetch;

/// <summary>
/// The hot path of <c>FETCH 1:* (UID FLAGS)</c>: writes a whole <c>* n FETCH (UID u FLAGS (…) MODSEQ (m))CRLF</c>
/// response into one span of the output with a single <c>GetSpan</c>/<c>Advance</c>, for plans whose items are only
/// FLAGS and MODSEQ (<see cref="FetchPlan.FlagsOnly"/>). Byte-for-byte the same as the general <see cref="FetchMessageWriter"/> path.
/// </summary>
/// <remarks>RFC 9051 §7.5.2 (FETCH response, flag order as <see cref="ImapResponseWriter.WriteFlagList"/>),
/// RFC 7162 §3.1.4.1 (MODSEQ).</remarks>
internal static class FlagsLineWriter
{
    // "* " + 10 + " FETCH (" + "UID " + 10 + ")\r\n" and slack.
    private const int FixedLength = 48;

    // " FLAGS (" + "\Seen \Answered \Flagged \Deleted \Draft" + ")" or " MODSEQ (" + 20 + ")".
    private const int ItemLength = 56;

    /// <summary>Writes the response; false (nothing written) when a keyword is not a plain atom, so the caller
    /// falls back to the general path.</summary>
    public static bool TryWrite(IBufferWriter<byte> output, FetchPlan plan, in FetchMessage message)
    {
        var keywords = message.Keywords;
        var items = plan.Items;
        var keywordLength = 0;
        for (var i = 0; i < keywords.Count; i++)
        {
            var keyword = keywords[i];
            if (!ImapResponseWriter.IsAtom(keyword))
            {
                return false;
            }
            keywordLength += keyword.Length + 1;
        }
        var span = output.GetSpan(FixedLength + ((items.Length + 1) * (ItemLength + keywordLength)));
        "* "u8.CopyTo(span);
        var position = 2;
        position += Number(span[position..], (uint)message.SequenceNumber);
        " FETCH ("u8.CopyTo(span[position..]);
        position += 8;
        var first = true;
        if (plan.IncludeUid)
        {
            "UID "u8.CopyTo(span[position..]);
            position += 4;
            position += Number(span[position..], message.Uid);
            first = false;
        }
        for (var i = 0; i < items.Length; i++)
        {
            if (!first)
            {
                span[position++] = (byte)' ';
            }
            first = false;
            position += items[i].Kind == FetchItemKind.Flags
                ? Flags(span[position..], message.Flags, keywords)
                : ModSeq(span[position..], message.ModSeq);
        }
        if (plan.AppendModSeq)
        {
            if (!first)
            {
                span[position++] = (byte)' ';
            }
            position += ModSeq(span[position..], message.ModSeq);
        }
        ")\r\n"u8.CopyTo(span[position..]);
        output.Advance(position + 3);
        return true;
    }

    private static int Number(Span<byte> span, ulong value)
    {
        Utf8Formatter.TryFormat(value, span, out var written);
        return written;
    }

    private static int ModSeq(Span<byte> span, ulong modSeq)
    {
        "MODSEQ ("u8.CopyTo(span);
        var position = 8 + Number(span[8..], modSeq);
        span[position++] = (byte)')';
        return position;
    }

    private static int Flags(Span<byte> span, MessageFlags flags, IReadOnlyList<string> keywords)
    {
        "FLAGS ("u8.CopyTo(span);
        var position = 7;
        var start = position;
        if ((flags & MessageFlags.Seen) != 0)
        {
            position += Flag(span[position..], @"\Seen"u8, position == start);
        }
        if ((flags & MessageFlags.Answered) != 0)
        {
            position += Flag(span[position..], @"\Answered"u8, position == start);
        }
        if ((flags & MessageFlags.Flagged) != 0)
        {
            position += Flag(span[position..], @"\Flagged"u8, position == start);
        }
        if ((flags & MessageFlags.Deleted) != 0)
        {
            position += Flag(span[position..], @"\Deleted"u8, position == start);
        }
        if ((flags & MessageFlags.Draft) != 0)
        {
            position += Flag(span[position..], @"\Draft"u8, position == start);
        }
        for (var i = 0; i < keywords.Count; i++)
        {
            if (position != start)
            {
                span[position++] = (byte)' ';
            }
            var keyword = keywords[i];
            for (var c = 0; c < keyword.Length; c++)
            {
                span[position++] = (byte)keyword[c];
            }
        }
        span[position++] = (byte)')';
        return position;
    }

    private static int Flag(Span<byte> span, ReadOnlySpan<byte> flag, bool first)
    {
        if (first)
        {
            flag.CopyTo(span);
            return flag.Length;
        }
        span[0] = (byte)' ';
        flag.CopyTo(span[1..]);
        return flag.Length + 1;
    }
}

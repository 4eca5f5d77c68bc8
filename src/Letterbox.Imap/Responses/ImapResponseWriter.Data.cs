namespace Letterbox.Imap.Responses;

public sealed partial class ImapResponseWriter
{
    /// <summary>Writes <c>* n EXISTS CRLF</c> (RFC 9051 §7.4.1).</summary>
    public void WriteExists(uint count)
    {
        WriteRaw("* "u8);
        WriteNumber(count);
        WriteRaw(" EXISTS\r\n"u8);
    }

    /// <summary>Writes <c>* n EXPUNGE CRLF</c> (RFC 9051 §7.5.1); <paramref name="sequenceNumber"/> as of the
    /// moment of writing (later expunges renumber).</summary>
    public void WriteExpunge(uint sequenceNumber)
    {
        WriteRaw("* "u8);
        WriteNumber(sequenceNumber);
        WriteRaw(" EXPUNGE\r\n"u8);
    }

    /// <summary>
    /// Writes <c>* VANISHED [(EARLIER) ]uid-set CRLF</c> (RFC 7162 §3.2.10), the UIDs compacted as by
    /// <see cref="WriteSequenceSet(IReadOnlyList{uint})"/>. Writes nothing for an empty list.
    /// </summary>
    public void WriteVanished(IReadOnlyList<uint> uids, bool earlier)
    {
        if (uids.Count == 0)
        {
            return;
        }
        WriteRaw(earlier ? "* VANISHED (EARLIER) "u8 : "* VANISHED "u8);
        WriteSequenceSet(uids);
        WriteCrlf();
    }

    /// <summary>
    /// Writes <c>* n FETCH (</c> (RFC 9051 §7.5.2). The caller then writes the items separated by
    /// <see cref="WriteSpace"/> (e.g. <c>UID 7</c>, <c>FLAGS (...)</c>, a section label followed by
    /// <see cref="WriteLiteralHeader"/> and the copied octets) and ends with <see cref="WriteFetchEnd"/>.
    /// </summary>
    public void WriteFetchStart(uint sequenceNumber)
    {
        WriteRaw("* "u8);
        WriteNumber(sequenceNumber);
        WriteRaw(" FETCH ("u8);
    }

    /// <summary>Writes <c>)CRLF</c>, ending a FETCH response begun with <see cref="WriteFetchStart"/>.</summary>
    public void WriteFetchEnd() => WriteRaw(")\r\n"u8);
}

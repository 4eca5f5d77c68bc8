using Letterbox.Imap.Responses;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// The one place a CONDSTORE-enabling command (RFC 7162 §3.1: <c>SELECT/EXAMINE (CONDSTORE)</c>,
/// <c>STATUS (HIGHESTMODSEQ)</c>, FETCH or SEARCH with MODSEQ, CHANGEDSINCE, UNCHANGEDSINCE, <c>ENABLE CONDSTORE</c>)
/// turns CONDSTORE on for the connection and the selected mailbox.
/// </summary>
public static class CondstoreEnabling
{
    /// <summary>
    /// Turns CONDSTORE on. When this is the first CONDSTORE-enabling command and a mailbox is selected, writes
    /// <c>* OK [HIGHESTMODSEQ n] Highest</c> with the MODSEQ the client is up to date with (§3.1), before the
    /// command's own responses.
    /// </summary>
    public static void Enable(ImapSession session)
    {
        var first = (session.Enabled & EnabledExtensions.Condstore) == 0;
        session.Enable(EnabledExtensions.Condstore);
        if (session.SelectedMailbox is SelectedMailboxView view)
        {
            view.Condstore = true;
            if (first)
            {
                WriteHighestModSeq(session.Writer, view.ReportedModSeq);
            }
        }
    }

    /// <summary>Writes <c>* OK [HIGHESTMODSEQ n] Highest</c> (RFC 7162 §3.1.2.1).</summary>
    public static void WriteHighestModSeq(ImapResponseWriter writer, ulong modSeq)
    {
        writer.WriteRaw("* OK [HIGHESTMODSEQ "u8);
        writer.WriteNumber(modSeq);
        writer.WriteRaw("] Highest\r\n"u8);
    }

    /// <summary>
    /// The tagged OK of EXPUNGE, UID EXPUNGE and MOVE when messages were removed and CONDSTORE is on:
    /// <c>OK [HIGHESTMODSEQ n] text</c> (RFC 7162 §3.2.7, §3.2.9; RFC 6851 §4.4). The value is read when the tagged
    /// line is written, after the end-of-command sync, so it covers every response sent before it.
    /// </summary>
    public static CommandResult OkWithHighestModSeq(SelectedMailboxView view, string text) =>
        new(ResponseCondition.Ok, null, text, w =>
        {
            w.WriteRaw("[HIGHESTMODSEQ "u8);
            w.WriteNumber(view.ReportedModSeq);
            w.WriteRaw("] "u8);
        });
}

using Letterbox.Mail.Mailboxes;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// SELECT and EXAMINE (RFC 9051 §6.3.2–3, RFC 3501 §6.3.1–2, RFC 7162 §3.1.8): opens a
/// <see cref="SelectedMailboxView"/> and writes FLAGS, PERMANENTFLAGS, EXISTS, RECENT (IMAP4rev1 only), UNSEEN
/// (IMAP4rev1 only), UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and, for IMAP4rev2, LIST; then <c>OK [READ-WRITE]</c> or
/// <c>OK [READ-ONLY]</c>.
/// </summary>
/// <remarks>
/// A previously selected mailbox is closed first, without expunge, and <c>* OK [CLOSED]</c> is sent (RFC 9051 §7.1,
/// RFC 7162 §3.2.11). A nonexistent mailbox is <c>NO [NONEXISTENT]</c>, leaving the session in the authenticated
/// state (§6.3.2). <c>(CONDSTORE)</c> and <c>(QRESYNC (…))</c> turn CONDSTORE on; QRESYNC without a prior
/// <c>ENABLE QRESYNC</c> is BAD and leaves the current mailbox selected (RFC 7162 §3.2.5). With a matching
/// UIDVALIDITY, QRESYNC adds <c>* VANISHED (EARLIER) …</c> and FETCH responses after the usual data
/// (<see cref="SelectedMailboxView.WriteQResyncAsync"/>); with another UIDVALIDITY it is ignored (§3.2.5).
/// </remarks>
public static class SelectHandler
{
    /// <summary>Selects or examines <see cref="SelectCommand.Mailbox"/>.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, SelectCommand command, CancellationToken cancellationToken)
    {
        var user = session.User!;
        var writer = session.Writer;
        var qresyncEnabled = (session.Enabled & EnabledExtensions.QResync) != 0;
        if (command.QResync is not null && !qresyncEnabled)
        {
            return CommandResult.Bad("QRESYNC parameter needs ENABLE QRESYNC first (RFC 7162 §3.2.5)");
        }
        if (session.SelectedMailbox is not null)
        {
            await session.UnselectAsync();
            writer.WriteUntagged(ResponseCondition.Ok, "CLOSED", "Previous mailbox closed");
        }
        var store = session.Store;
        var mailbox = await store.GetMailboxAsync(user.Id, MailboxNames.Canonicalize(command.Mailbox), cancellationToken);
        if (mailbox is null)
        {
            return CommandResult.No("NONEXISTENT", "No such mailbox");
        }
        if (command.Condstore)
        {
            session.Enable(EnabledExtensions.Condstore);
        }
        var view = await SelectedMailboxView.OpenAsync(store, mailbox, command.ReadOnly, cancellationToken);
        view.Condstore = (session.Enabled & (EnabledExtensions.Condstore | EnabledExtensions.QResync)) != 0;
        view.QResync = qresyncEnabled;
        var status = await store.GetStatusAsync(mailbox.Id, cancellationToken);
        var rev2 = (session.Enabled & EnabledExtensions.Imap4Rev2) != 0;

        writer.WriteRaw(@"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)"u8);
        writer.WriteCrlf();
        if (command.ReadOnly)
        {
            writer.WriteRaw("* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n"u8);
        }
        else
        {
            writer.WriteRaw(@"* OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted"u8);
            writer.WriteCrlf();
        }
        writer.WriteExists((uint)view.Count);
        if (!rev2)
        {
            writer.WriteRaw("* 0 RECENT\r\n"u8);
            WriteFirstUnseen(session, view, status);
        }
        writer.WriteRaw("* OK [UIDVALIDITY "u8);
        writer.WriteNumber(mailbox.UidValidity);
        writer.WriteRaw("] UIDs valid\r\n* OK [UIDNEXT "u8);
        writer.WriteNumber(Math.Max(status.UidNext, view.HighestUid + 1));
        writer.WriteRaw("] Predicted next UID\r\n* OK [HIGHESTMODSEQ "u8);
        writer.WriteNumber(view.KnownModSeq);
        writer.WriteRaw("] Highest\r\n"u8);
        if (rev2)
        {
            writer.WriteRaw("* LIST () \"/\" "u8);
            writer.WriteMailboxName(mailbox.Name);
            writer.WriteCrlf();
        }
        if (command.QResync is { } qresync && qresync.UidValidity == mailbox.UidValidity)
        {
            await view.WriteQResyncAsync(qresync.ModSeq, qresync.KnownUids, writer, cancellationToken);
        }
        await session.SelectAsync(view);
        return command.ReadOnly
            ? CommandResult.Ok("READ-ONLY", "EXAMINE completed")
            : CommandResult.Ok("READ-WRITE", "SELECT completed");
    }

    /// <summary><c>* OK [UNSEEN n]</c>: the sequence number of the first unseen message (RFC 3501 §6.3.1), from the
    /// status snapshot (no extra query).</summary>
    private static void WriteFirstUnseen(ImapSession session, SelectedMailboxView view, MailboxStatus status)
    {
        var seq = status.FirstUnseenUid == 0 ? 0 : view.GetSequenceNumber(status.FirstUnseenUid);
        if (seq != 0)
        {
            session.Writer.WriteRaw("* OK [UNSEEN "u8);
            session.Writer.WriteNumber((uint)seq);
            session.Writer.WriteRaw("] First unseen\r\n"u8);
        }
    }
}

using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// STORE and UID STORE (RFC 9051 §6.4.6, RFC 7162 §3.1.3): changes flags through
/// <see cref="Letterbox.Mail.Store.IMailStore.StoreFlagsAsync"/>, then — unless <c>.SILENT</c> — writes
/// <c>* n FETCH (FLAGS (…))</c> with the current flags of every message in the set, including those that already
/// had them (§6.4.6 SHOULD). UID STORE responses carry <c>UID n</c> (CLIENT-QUIRKS 2); MODSEQ is added when
/// CONDSTORE is on. With UNCHANGEDSINCE, changed messages are reported even when silent, and messages that failed
/// the test are listed in <c>OK [MODIFIED set]</c> (sequence numbers, or UIDs for UID STORE).
/// </summary>
/// <remarks>
/// A sequence number beyond the mailbox is BAD (§9 <c>seq-number</c>); after EXAMINE the answer is
/// <c>NO [READ-ONLY]</c>. Messages expunged by another session but not yet reported are silently skipped.
/// </remarks>
public static class StoreHandler
{
    /// <summary>Stores flags and reports them.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, StoreCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        var pairs = new List<(int Seq, uint Uid)>();
        if (!view.TryResolve(command.Set, command.Uid, pairs))
        {
            return CommandResult.Bad("Invalid message sequence number");
        }
        if (view.ReadOnly)
        {
            return CommandResult.No("READ-ONLY", "Mailbox was opened with EXAMINE: flags cannot be changed");
        }
        if (command.UnchangedSince is not null)
        {
            // UNCHANGEDSINCE is a CONDSTORE-enabling modifier (RFC 7162 §3.1).
            CondstoreEnabling.Enable(session);
        }
        if (pairs.Count == 0)
        {
            return CommandResult.Ok(command.Uid ? "UID STORE completed" : "STORE completed");
        }
        var uids = SelectedMailboxView.UidsOf(pairs);
        if (command.Silent && command.UnchangedSince is null)
        {
            // §6.4.6 note: the client computes the new flags of a .SILENT store from what it knows, so first tell it
            // the changes made elsewhere since its last sync; afterwards only its own change is left unreported.
            // (A change committed between this sync and the store is still folded into ours: closing that needs
            // the store to report the prior MODSEQ.)
            await view.SyncAsync(allowExpunge: false, session.Writer, cancellationToken); // keeps the numbers in pairs valid
        }
        var result = await view.Store.StoreFlagsAsync(view.MailboxId, uids, command.Operation, command.Flags,
            command.Keywords, command.UnchangedSince, cancellationToken);
        var changed = result.Changed;
        for (var i = 0; i < changed.Count; i++)
        {
            view.NoteFlagsSent(changed[i].Uid, changed[i].ModSeq);
        }
        if (!command.Silent)
        {
            var unchanged = await ReadUnchangedAsync(view, uids, changed, result.Modified, cancellationToken);
            WriteMerged(session.Writer, view, pairs, changed, unchanged, command.Uid);
        }
        else if (command.UnchangedSince is not null)
        {
            WriteMerged(session.Writer, view, pairs, changed, [], command.Uid);
        }
        if (result.Modified.Count > 0)
        {
            var modified = ToReportedNumbers(view, result.Modified, command.Uid);
            return new CommandResult(ResponseCondition.Ok, null, "Conditional STORE failed", w =>
            {
                w.WriteRaw("[MODIFIED "u8);
                w.WriteSequenceSet(modified);
                w.WriteRaw("] "u8);
            });
        }
        return CommandResult.Ok(command.Uid ? "UID STORE completed" : "STORE completed");
    }

    /// <summary>Current flags of the messages in the set that neither changed nor failed UNCHANGEDSINCE.</summary>
    private static async ValueTask<IReadOnlyList<MessageFlagState>> ReadUnchangedAsync(SelectedMailboxView view, List<uint> uids,
        IReadOnlyList<MessageFlagState> changed, IReadOnlyList<uint> modified, CancellationToken cancellationToken)
    {
        if (changed.Count == uids.Count)
        {
            return [];
        }
        var rest = new List<uint>(uids.Count - changed.Count);
        int c = 0, m = 0;
        for (var i = 0; i < uids.Count; i++)
        {
            var uid = uids[i];
            while (c < changed.Count && changed[c].Uid < uid)
            {
                c++;
            }
            while (m < modified.Count && modified[m] < uid)
            {
                m++;
            }
            if ((c < changed.Count && changed[c].Uid == uid) || (m < modified.Count && modified[m] == uid))
            {
                continue;
            }
            rest.Add(uid);
        }
        return rest.Count == 0 ? [] : await view.Store.GetFlagsAsync(view.MailboxId, rest, 0, cancellationToken);
    }

    /// <summary>Writes one FETCH per message of <paramref name="pairs"/> found in either list (both in UID order,
    /// which is sequence order).</summary>
    private static void WriteMerged(ImapResponseWriter writer, SelectedMailboxView view, List<(int Seq, uint Uid)> pairs,
        IReadOnlyList<MessageFlagState> changed, IReadOnlyList<MessageFlagState> unchanged, bool includeUid)
    {
        int c = 0, u = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            var (seq, uid) = pairs[i];
            while (c < changed.Count && changed[c].Uid < uid)
            {
                c++;
            }
            while (u < unchanged.Count && unchanged[u].Uid < uid)
            {
                u++;
            }
            if (c < changed.Count && changed[c].Uid == uid)
            {
                view.WriteFlagsFetch(writer, seq, changed[c], includeUid);
            }
            else if (u < unchanged.Count && unchanged[u].Uid == uid)
            {
                view.NoteFlagsSent(uid, unchanged[u].ModSeq);
                view.WriteFlagsFetch(writer, seq, unchanged[u], includeUid);
            }
        }
    }

    private static uint[] ToReportedNumbers(SelectedMailboxView view, IReadOnlyList<uint> uids, bool asUids)
    {
        var numbers = new uint[uids.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = asUids ? uids[i] : (uint)view.GetSequenceNumber(uids[i]);
        }
        return numbers;
    }
}

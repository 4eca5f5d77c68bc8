using Letterbox.Imap.Commands;
using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT (<see cref="OrderedSubjectThreader"/>), REFERENCES
/// (<see cref="ReferencesThreader"/>) and REFS (<see cref="ReferencesThreader.ThreadRefs(SortSnapshot, ReadOnlySpan{int})"/>, draft-ietf-morg-inthread)
/// over the matching messages' delivery-time keys; answers <c>* THREAD (…)(…)</c> with sequence numbers or UIDs (§4).
/// A MODSEQ search key changes nothing in the answer (RFC 7162 §3.1.9: "THREAD responses are unchanged").
/// </summary>
public static class ThreadHandler
{
    /// <summary>Threads and answers.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, ThreadCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        var input = await SortSearch.RunAsync(view, command.Key, command.Uid, session.Options.SortCacheMessages, cancellationToken);
        if (input is null)
        {
            return CommandResult.Bad("Invalid message sequence number");
        }
        var tree = command.Algorithm switch
        {
            ThreadAlgorithm.References => ReferencesThreader.Thread(input.Snapshot, input.Selected),
            ThreadAlgorithm.Refs => ReferencesThreader.ThreadRefs(input.Snapshot, input.Selected),
            _ => OrderedSubjectThreader.Thread(input.Snapshot, input.Selected),
        };
        session.Writer.WriteThread(tree, input.Numbers);
        return CommandResult.Ok(command.Uid ? "UID THREAD completed" : "THREAD completed");
    }
}

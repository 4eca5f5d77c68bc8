using Letterbox.Imap.Commands;
using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT (<see cref="OrderedSubjectThreader"/>) and REFERENCES
/// (<see cref="ReferencesThreader"/>) over the matching messages' delivery-time keys; answers
/// <c>* THREAD (…)(…)</c> with sequence numbers or UIDs (§4).
/// </summary>
public static class ThreadHandler
{
    /// <summary>Threads and answers.</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, ThreadCommand command, CancellationToken cancellationToken)
    {
        var view = (SelectedMailboxView)session.SelectedMailbox!;
        var fields = command.Algorithm == ThreadAlgorithm.References ? SortFields.Subject | SortFields.Threading : SortFields.Subject;
        var input = await SortSearch.RunAsync(view, command.Key, command.Uid, fields, cancellationToken);
        if (input is null)
        {
            return CommandResult.Bad("Invalid message sequence number");
        }
        var tree = command.Algorithm == ThreadAlgorithm.References
            ? ReferencesThreader.Thread(input.Messages)
            : OrderedSubjectThreader.Thread(input.Messages);
        session.Writer.WriteThread(tree, input.Numbers);
        return CommandResult.Ok(command.Uid ? "UID THREAD completed" : "THREAD completed");
    }
}

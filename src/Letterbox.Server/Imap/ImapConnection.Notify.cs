using System.IO.Pipelines;
using Letterbox.Imap.Commands;
using Letterbox.Mail.Store;
using Microsoft.Extensions.Logging;

namespace Letterbox.Server.Imap;

/// <summary>
/// NOTIFY delivery (RFC 5465 §3.1: the client "listens for event notifications all the time (even when no command is
/// in progress)"). Notifications are written on the connection's own flow only, so they never interleave with a
/// command's output: at the end of each command (before its tagged reply), in IDLE, and while the connection waits
/// for the next command with no partial command buffered.
/// </summary>
public sealed partial class ImapConnection
{
    /// <summary>
    /// Reads client input; with NOTIFY on and no partial command buffered, also wakes for change events and writes
    /// (and flushes) the notifications while the read stays pending — nothing is lost, no read is cancelled.
    /// </summary>
    private async ValueTask<ReadResult> ReadInputAsync(CancellationToken readToken, CancellationToken cancellationToken)
    {
        var read = _input.ReadAsync(readToken);
        if (read.IsCompleted || Session.Notify is null || _reader.InRequest)
        {
            return await read;
        }
        var readTask = read.AsTask();
        while (Session.Notify is { } watch)
        {
            var completed = await Task.WhenAny(readTask, watch.Queue.WaitAsync());
            if (completed == readTask)
            {
                break;
            }
            await TryDeliverAsync(allowExpunge: true, cancellationToken);
            if (!await FlushAsync(cancellationToken))
            {
                break; // the client is gone; the pending read reports it
            }
        }
        return await readTask;
    }

    /// <summary>At the end of a command: after the session's own CREATE/DELETE/RENAME/(UN)SUBSCRIBE the mailbox list is
    /// re-read silently (RFC 5465 §5: events caused by this client SHOULD NOT be sent), then pending notifications
    /// are written with the command's expunge rule.</summary>
    private async ValueTask DeliverAtCommandEndAsync(ImapCommand command, bool allowExpunge, CancellationToken cancellationToken)
    {
        if (command is CreateCommand or DeleteCommand or RenameCommand or SubscribeCommand or UnsubscribeCommand
            && Session.Notify is { } watch && Session.User is not null)
        {
            try
            {
                await watch.RefreshSilentlyAsync(Session, cancellationToken);
            }
            catch (MailStoreException e)
            {
                _logger.LogDebug("NOTIFY list refresh failed for {Remote}: {Message}", Session.RemoteEndPoint, e.Message);
            }
        }
        await TryDeliverAsync(allowExpunge, cancellationToken);
    }

    private async ValueTask TryDeliverAsync(bool allowExpunge, CancellationToken cancellationToken)
    {
        if (Session.User is null)
        {
            return;
        }
        try
        {
            await Session.DeliverNotificationsAsync(allowExpunge, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsDisconnect(e))
        {
            _logger.LogError(e, "NOTIFY delivery failed for {Remote}", Session.RemoteEndPoint);
        }
    }
}

using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// IDLE (RFC 2177, RFC 9051 §6.3.13): answers <c>+ idling</c>, then, until the client sends <c>DONE</c>, checks
/// the selected mailbox every <see cref="ImapServerOptions.IdlePollInterval"/> and pushes what changed (EXISTS,
/// EXPUNGE, FETCH FLAGS — expunges are allowed during IDLE), and sends <c>* OK Still here</c> every
/// <see cref="ImapServerOptions.IdleKeepaliveInterval"/> so NAT boxes keep the connection.
/// </summary>
/// <remarks>This first version polls the store's change feed; push from the feed is a later step (issue: one
/// synchronized view). Any line other than DONE ends IDLE with BAD.</remarks>
public static class IdleHandler
{
    /// <summary>Idles until DONE; returns the tagged OK (or BAD for a wrong line).</summary>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, IdleCommand command, CancellationToken cancellationToken)
    {
        var options = session.Options;
        session.Writer.WriteContinuation("idling");
        var sinceKeepalive = TimeSpan.Zero;
        while (true)
        {
            string? line;
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                poll.CancelAfter(options.IdlePollInterval);
                try
                {
                    line = await session.ReadLineAsync(poll.Token);
                }
                catch (OperationCanceledException) when (poll.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    if (session.SelectedMailbox is { } mailbox)
                    {
                        await mailbox.SyncAsync(allowExpunge: true, session.Writer, cancellationToken);
                    }
                    sinceKeepalive += options.IdlePollInterval;
                    if (sinceKeepalive >= options.IdleKeepaliveInterval)
                    {
                        session.Writer.WriteUntagged(ResponseCondition.Ok, "Still here");
                        sinceKeepalive = TimeSpan.Zero;
                    }
                    continue; // ReadLineAsync flushes what was written before waiting again
                }
            }
            if (line is null)
            {
                session.EndSession("Connection closed during IDLE");
                return CommandResult.Ok("IDLE ended");
            }
            return string.Equals(line.Trim(), "DONE", StringComparison.OrdinalIgnoreCase)
                ? CommandResult.Ok("IDLE terminated")
                : CommandResult.Bad("Expected DONE to end IDLE");
        }
    }
}

using System.Diagnostics;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Responses;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// IDLE (RFC 2177, RFC 9051 §6.3.13): answers <c>+ idling</c>, then, until the client sends <c>DONE</c>, pushes
/// what changes in the selected mailbox (EXISTS, EXPUNGE, FETCH FLAGS — expunges are allowed during IDLE) as soon as
/// the store's change feed signals it (<see cref="ImapSession.Changes"/>): no polling. Sends <c>* OK Still here</c>
/// every <see cref="ImapServerOptions.IdleKeepaliveInterval"/> so NAT boxes keep the connection, and ends the
/// connection with <c>* BYE</c> after <see cref="ImapServerOptions.IdleTimeout"/> (RFC 2177 §3: clients re-issue
/// IDLE at least every 29 minutes).
/// </summary>
/// <remarks>
/// One read of the client's line stays pending for the whole IDLE; the handler waits on it, the change signal and
/// the next timer (keepalive, timeout, optional <see cref="ImapServerOptions.IdlePollInterval"/> safety net). On a
/// signal it consumes it, runs <see cref="ISelectedMailbox.SyncAsync"/> with expunges allowed and flushes. Any line
/// other than DONE ends IDLE with BAD. A server shutdown ends IDLE with OK (then <c>* BYE Server shutting down</c>).
/// </remarks>
public static class IdleHandler
{
    /// <summary>Idles until DONE; returns the tagged OK (or BAD for a wrong line).</summary>
    /// <exception cref="ImapProtocolException">The IDLE timeout passed: the connection answers <c>* BYE</c> and
    /// closes, with no tagged reply (as Dovecot does).</exception>
    public static async ValueTask<CommandResult> HandleAsync(ImapSession session, IdleCommand command, CancellationToken cancellationToken)
    {
        var options = session.Options;
        session.Writer.WriteContinuation("idling");
        await session.FlushAsync(cancellationToken); // the pending read below then has nothing to flush

        var start = Stopwatch.GetTimestamp();
        var timeout = Ticks(options.IdleTimeout);
        var keepalive = Ticks(options.IdleKeepaliveInterval);
        var poll = Ticks(options.IdlePollInterval);
        var nextKeepalive = keepalive;
        var nextPoll = poll;

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timers = new CancellationTokenSource();
        var line = session.ReadLineAsync(reading.Token).AsTask();
        Task? timer = null;
        var timerDue = long.MaxValue;
        try
        {
            while (true)
            {
                if (line.IsCompleted)
                {
                    return Finish(session, await line);
                }
                var elapsed = Stopwatch.GetElapsedTime(start).Ticks;
                if (elapsed >= timeout)
                {
                    throw new ImapProtocolException("Disconnected for inactivity in IDLE");
                }
                var sync = session.Changes.TryConsume();
                if (elapsed >= nextPoll)
                {
                    sync = true;
                    nextPoll = Add(elapsed, poll);
                }
                if (sync && session.SelectedMailbox is { } mailbox)
                {
                    await mailbox.SyncAsync(allowExpunge: true, session.Writer, cancellationToken);
                }
                if (sync)
                {
                    await session.DeliverNotificationsAsync(allowExpunge: true, cancellationToken); // RFC 5465 §4
                }
                if (elapsed >= nextKeepalive)
                {
                    session.Writer.WriteUntagged(ResponseCondition.Ok, "Still here");
                    nextKeepalive = Add(elapsed, keepalive);
                }
                await session.FlushAsync(cancellationToken);

                var due = Math.Min(timeout, Math.Min(nextKeepalive, nextPoll));
                if (timer is null || timer.IsCompleted || due != timerDue)
                {
                    timerDue = due;
                    timer = due == long.MaxValue ? null : Task.Delay(TimeSpan.FromTicks(Math.Clamp(due - elapsed, 0, MaxDelay)), timers.Token);
                }
                var signal = session.Changes.WaitAsync();
                await (timer is null ? Task.WhenAny(line, signal) : Task.WhenAny(line, signal, timer));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !reading.IsCancellationRequested)
        {
            return CommandResult.Ok("IDLE terminated: server shutting down"); // the connection then sends BYE
        }
        finally
        {
            timers.Cancel();
            if (!line.IsCompleted)
            {
                reading.Cancel(); // a cancelled read loses no input
                try
                {
                    await line;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private static CommandResult Finish(ImapSession session, string? line)
    {
        if (line is null)
        {
            session.EndSession("Connection closed during IDLE");
            return CommandResult.Ok("IDLE ended");
        }
        return string.Equals(line.Trim(), "DONE", StringComparison.OrdinalIgnoreCase)
            ? CommandResult.Ok("IDLE terminated")
            : CommandResult.Bad("Expected DONE to end IDLE");
    }

    private static readonly long MaxDelay = TimeSpan.FromDays(1).Ticks;

    private static long Add(long a, long b) => b >= long.MaxValue - a ? long.MaxValue : a + b;

    /// <summary>An interval in TimeSpan ticks; infinite, zero or negative means never.</summary>
    private static long Ticks(TimeSpan interval) => interval <= TimeSpan.Zero ? long.MaxValue : interval.Ticks;
}

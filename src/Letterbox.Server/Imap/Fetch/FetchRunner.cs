using System.IO.Pipelines;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap.Fetch;

/// <summary>
/// Answers one FETCH for already-resolved messages: the fewest store calls the <see cref="FetchPlan"/> allows, then
/// one <c>* n FETCH (…)</c> per message in ascending sequence order, written straight into the connection's output
/// and flushed every <see cref="FlushThreshold"/> bytes so a huge response never sits whole in memory.
/// </summary>
/// <remarks>
/// <para>Store calls: CHANGEDSINCE → one <c>GetFlagsAsync(changedSince)</c> that narrows the set (RFC 7162 §3.1.4);
/// \Seen → one <c>StoreFlagsAsync(Add, \Seen)</c> for all messages BEFORE any response (RFC 9051 §6.4.5), so the
/// FLAGS sent are the new ones; flags only → one <c>GetFlagsAsync</c> for the whole set (no metadata);
/// otherwise <c>GetMetadataAsync</c> in chunks of <see cref="MetadataChunk"/> UIDs, and one
/// <c>OpenMessageAsync</c> per message only when a body section is asked for.</para>
/// <para>A message expunged by another session after it was resolved (the store no longer returns it) is skipped
/// silently; the command still succeeds.</para>
/// </remarks>
public static class FetchRunner
{
    /// <summary>Unflushed output (bytes) after which the runner flushes between messages.</summary>
    public const int FlushThreshold = 64 * 1024;

    /// <summary>UIDs per <c>GetMetadataAsync</c> call, bounding the metadata held at once.</summary>
    public const int MetadataChunk = 256;

    private const int FlushEveryMessages = 256;

    /// <summary>
    /// Writes the FETCH responses for <paramref name="messages"/>.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="mailboxId">The selected mailbox.</param>
    /// <param name="readOnly">True for EXAMINE: \Seen is never set (RFC 9051 §6.3.3).</param>
    /// <param name="plan">The command's plan.</param>
    /// <param name="messages">(sequence number, UID) pairs ascending, as the view resolved them.</param>
    /// <param name="writer">The connection's response writer.</param>
    /// <param name="output">The pipe the writer writes to; body literals are copied into it and it is flushed.</param>
    /// <param name="flagsSent">Called with (UID, MODSEQ) after a message's FLAGS are written, or null.</param>
    /// <param name="cancellationToken">Cancels store access and flushing.</param>
    /// <returns>The number of FETCH responses written; stops early (returning what was written) when the client
    /// has gone.</returns>
    public static async ValueTask<int> RunAsync(
        IMailStore store,
        long mailboxId,
        bool readOnly,
        FetchPlan plan,
        List<(int Seq, uint Uid)> messages,
        ImapResponseWriter writer,
        PipeWriter output,
        Action<uint, ulong>? flagsSent,
        CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return 0;
        }
        var uids = UidsOf(messages);
        IReadOnlyList<MessageFlagState>? flagStates = null;
        if (plan.ChangedSince is { } since)
        {
            flagStates = await store.GetFlagsAsync(mailboxId, uids, since, cancellationToken);
            messages = Narrow(messages, flagStates);
            if (messages.Count == 0)
            {
                return 0;
            }
            uids = UidsOf(messages);
        }
        HashSet<uint>? seenSet = null;
        if (plan.SetsSeen && !readOnly)
        {
            var result = await store.StoreFlagsAsync(mailboxId, uids, FlagOperation.Add, MessageFlags.Seen, [], null, cancellationToken);
            if (result.Changed.Count > 0)
            {
                seenSet = new HashSet<uint>(result.Changed.Count);
                for (var i = 0; i < result.Changed.Count; i++)
                {
                    seenSet.Add(result.Changed[i].Uid);
                }
                flagStates = null;
            }
        }
        var state = new RunState(writer, output, flagsSent);
        if (plan.NeedsMetadata)
        {
            await WriteWithMetadataAsync(store, mailboxId, plan, messages, uids, seenSet, state, cancellationToken);
        }
        else if (plan.NeedsFlags)
        {
            flagStates ??= await store.GetFlagsAsync(mailboxId, uids, 0, cancellationToken);
            await WriteWithFlagsAsync(plan, messages, flagStates, state, cancellationToken);
        }
        else
        {
            // Only UID (e.g. FETCH 1:* UID): the view already knows everything.
            for (var i = 0; i < messages.Count && !state.ClientGone; i++)
            {
                var (seq, uid) = messages[i];
                FetchMessageWriter.Write(writer, plan, new FetchMessage(seq, uid, MessageFlags.None, [], 0, null, false));
                await state.AfterMessageAsync(uid, 0, false, cancellationToken);
            }
        }
        return state.Written;
    }

    private static async ValueTask WriteWithFlagsAsync(
        FetchPlan plan, List<(int Seq, uint Uid)> messages, IReadOnlyList<MessageFlagState> flagStates, RunState state, CancellationToken cancellationToken)
    {
        var j = 0;
        for (var i = 0; i < messages.Count && !state.ClientGone; i++)
        {
            var (seq, uid) = messages[i];
            while (j < flagStates.Count && flagStates[j].Uid < uid)
            {
                j++;
            }
            if (j == flagStates.Count || flagStates[j].Uid != uid)
            {
                continue;
            }
            var flags = flagStates[j];
            var sent = FetchMessageWriter.Write(state.Writer, plan, new FetchMessage(seq, uid, flags.Flags, flags.Keywords, flags.ModSeq, null, false));
            await state.AfterMessageAsync(uid, flags.ModSeq, sent, cancellationToken);
        }
    }

    private static async ValueTask WriteWithMetadataAsync(
        IMailStore store,
        long mailboxId,
        FetchPlan plan,
        List<(int Seq, uint Uid)> messages,
        uint[] uids,
        HashSet<uint>? seenSet,
        RunState state,
        CancellationToken cancellationToken)
    {
        for (var start = 0; start < uids.Length && !state.ClientGone; start += MetadataChunk)
        {
            var length = Math.Min(MetadataChunk, uids.Length - start);
            var metadata = await store.GetMetadataAsync(mailboxId, new ArraySegment<uint>(uids, start, length), cancellationToken);
            var j = 0;
            for (var i = start; i < start + length && !state.ClientGone; i++)
            {
                var (seq, uid) = messages[i];
                while (j < metadata.Count && metadata[j].Uid < uid)
                {
                    j++;
                }
                if (j == metadata.Count || metadata[j].Uid != uid)
                {
                    continue;
                }
                var m = metadata[j];
                var message = new FetchMessage(seq, uid, m.Flags, m.Keywords, m.ModSeq, m, seenSet is not null && seenSet.Contains(uid));
                bool sent;
                if (plan.NeedsMessage)
                {
                    var stored = await store.OpenMessageAsync(mailboxId, uid, cancellationToken);
                    if (stored is null)
                    {
                        continue;
                    }
                    await using (stored)
                    {
                        sent = await FetchMessageWriter.WriteAsync(state.Writer, state.Output, plan, message, stored, cancellationToken);
                    }
                }
                else
                {
                    sent = FetchMessageWriter.Write(state.Writer, plan, message);
                }
                await state.AfterMessageAsync(uid, m.ModSeq, sent, cancellationToken);
            }
        }
    }

    private static uint[] UidsOf(List<(int Seq, uint Uid)> messages)
    {
        var uids = new uint[messages.Count];
        for (var i = 0; i < uids.Length; i++)
        {
            uids[i] = messages[i].Uid;
        }
        return uids;
    }

    // Keeps the pairs whose UID is in `states` (both ascending by UID).
    private static List<(int Seq, uint Uid)> Narrow(List<(int Seq, uint Uid)> messages, IReadOnlyList<MessageFlagState> states)
    {
        var kept = new List<(int Seq, uint Uid)>(states.Count);
        var j = 0;
        for (var i = 0; i < messages.Count && j < states.Count; i++)
        {
            var uid = messages[i].Uid;
            while (j < states.Count && states[j].Uid < uid)
            {
                j++;
            }
            if (j < states.Count && states[j].Uid == uid)
            {
                kept.Add(messages[i]);
            }
        }
        return kept;
    }

    /// <summary>Per-command counters and the flush policy.</summary>
    private sealed class RunState(ImapResponseWriter writer, PipeWriter output, Action<uint, ulong>? flagsSent)
    {
        private int _sinceFlush;

        public ImapResponseWriter Writer { get; } = writer;

        public PipeWriter Output { get; } = output;

        public int Written { get; private set; }

        public bool ClientGone { get; private set; }

        public ValueTask AfterMessageAsync(uint uid, ulong modSeq, bool sentFlags, CancellationToken cancellationToken)
        {
            Written++;
            if (sentFlags)
            {
                flagsSent?.Invoke(uid, modSeq);
            }
            _sinceFlush++;
            var due = Output.CanGetUnflushedBytes ? Output.UnflushedBytes >= FlushThreshold : _sinceFlush >= FlushEveryMessages;
            return due ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
        }

        private async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            _sinceFlush = 0;
            var result = await Output.FlushAsync(cancellationToken);
            ClientGone = result.IsCompleted || result.IsCanceled;
        }
    }
}

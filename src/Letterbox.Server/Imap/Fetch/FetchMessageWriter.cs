using System.IO.Pipelines;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Mime;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Server.Imap.Fetch;

/// <summary>
/// The state of one message as a FETCH response needs it: sequence number, UID, flags with their MODSEQ, and the
/// metadata when the plan needs it.
/// </summary>
/// <param name="SequenceNumber">1-based, from the session's view.</param>
/// <param name="Uid">The message's UID.</param>
/// <param name="Flags">System flags.</param>
/// <param name="Keywords">Keywords.</param>
/// <param name="ModSeq">MODSEQ of the flags (RFC 7162 §3.1.1); 0 when the plan did not read flags.</param>
/// <param name="Metadata">Metadata with the cached structure, or null when the plan does not need it.</param>
/// <param name="FlagsChanged">True when this FETCH just set <c>\Seen</c> on the message, so FLAGS is sent even if
/// not requested (RFC 9051 §6.4.5, §7.5.2).</param>
public readonly record struct FetchMessage(
    int SequenceNumber,
    uint Uid,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    ulong ModSeq,
    MessageMetadata? Metadata,
    bool FlagsChanged);

/// <summary>
/// Writes one <c>* n FETCH (…)</c> response (RFC 9051 §7.5.2) straight into the response writer: <c>UID n</c>
/// first when the plan includes it, the requested items in request order with their exact labels, then
/// <c>FLAGS (…)</c> if this FETCH changed them and they were not requested, then <c>MODSEQ (n)</c> when CONDSTORE
/// is on and it was not requested (RFC 7162 §3.1). Body sections are streamed from the stored message as literals.
/// </summary>
public static class FetchMessageWriter
{
    /// <summary>
    /// Writes the response for a plan with no body sections (<see cref="FetchPlan.NeedsMessage"/> false),
    /// synchronously. Returns true when FLAGS was written (the caller then tells the view).
    /// </summary>
    /// <exception cref="InvalidOperationException">The plan has body sections.</exception>
    public static bool Write(ImapResponseWriter writer, FetchPlan plan, in FetchMessage message)
    {
        if (plan.NeedsMessage)
        {
            throw new InvalidOperationException("The plan has body sections; use WriteAsync.");
        }
        if (plan.FlagsOnly && FlagsLineWriter.TryWrite(writer.Output, plan, message))
        {
            return plan.FlagsRequested;
        }
        var first = WriteStart(writer, plan, message);
        var items = plan.Items;
        for (var i = 0; i < items.Length; i++)
        {
            if (!first)
            {
                writer.WriteSpace();
            }
            first = false;
            WriteSimpleItem(writer, items[i], message);
        }
        return WriteEnd(writer, plan, message, first);
    }

    /// <summary>
    /// Writes the response, streaming body sections from <paramref name="stored"/> (seekable, the message's stored
    /// bytes) into <paramref name="output"/> as literals (RFC 9051 §4.3). Requires <see cref="FetchMessage.Metadata"/>.
    /// Returns true when FLAGS was written.
    /// </summary>
    /// <exception cref="InvalidDataException">The stored message is shorter than its cached structure says (the
    /// literal length is already on the wire; the connection must be dropped).</exception>
    public static async ValueTask<bool> WriteAsync(
        ImapResponseWriter writer, PipeWriter output, FetchPlan plan, FetchMessage message, Stream stored, CancellationToken cancellationToken)
    {
        var first = WriteStart(writer, plan, message);
        var items = plan.Items;
        for (var i = 0; i < items.Length; i++)
        {
            if (!first)
            {
                writer.WriteSpace();
            }
            first = false;
            var item = items[i];
            if (item.Section is null)
            {
                WriteSimpleItem(writer, item, message);
                continue;
            }
            var content = await SectionReader.ReadAsync(
                message.Metadata!.Structure, item.Section, stored, item.PartialOffset, item.PartialLength, cancellationToken);
            writer.WriteRaw(item.Label);
            writer.WriteSpace();
            if (content.Length == 0)
            {
                // A missing part, or a partial origin at or past the end (RFC 9051 §6.4.5): the empty string.
                writer.WriteRaw("\"\""u8);
                continue;
            }
            writer.WriteLiteralHeader(content.Length);
            await content.CopyToAsync(stored, output, cancellationToken);
        }
        return WriteEnd(writer, plan, message, first);
    }

    private static bool WriteStart(ImapResponseWriter writer, FetchPlan plan, in FetchMessage message)
    {
        writer.WriteFetchStart((uint)message.SequenceNumber);
        if (!plan.IncludeUid)
        {
            return true;
        }
        writer.WriteRaw("UID "u8);
        writer.WriteNumber(message.Uid);
        return false;
    }

    private static bool WriteEnd(ImapResponseWriter writer, FetchPlan plan, in FetchMessage message, bool first)
    {
        var flagsSent = plan.FlagsRequested;
        if (message.FlagsChanged && !plan.FlagsRequested)
        {
            if (!first)
            {
                writer.WriteSpace();
            }
            first = false;
            writer.WriteRaw("FLAGS "u8);
            writer.WriteFlagList(message.Flags, message.Keywords);
            flagsSent = true;
        }
        if (plan.AppendModSeq)
        {
            if (!first)
            {
                writer.WriteSpace();
            }
            WriteModSeq(writer, message.ModSeq);
        }
        writer.WriteFetchEnd();
        return flagsSent;
    }

    private static void WriteSimpleItem(ImapResponseWriter writer, FetchPlanItem item, in FetchMessage message)
    {
        switch (item.Kind)
        {
            case FetchItemKind.Flags:
                writer.WriteRaw("FLAGS "u8);
                writer.WriteFlagList(message.Flags, message.Keywords);
                return;
            case FetchItemKind.ModSeq:
                WriteModSeq(writer, message.ModSeq);
                return;
            case FetchItemKind.InternalDate:
                writer.WriteRaw("INTERNALDATE "u8);
                writer.WriteDateTime(message.Metadata!.InternalDate);
                return;
            case FetchItemKind.Rfc822Size:
                writer.WriteRaw("RFC822.SIZE "u8);
                writer.WriteNumber(message.Metadata!.Size);
                return;
            case FetchItemKind.Envelope:
                writer.WriteRaw("ENVELOPE "u8);
                EnvelopeEncoder.Write(writer, message.Metadata!.Structure.Envelope);
                return;
            case FetchItemKind.Body:
                writer.WriteRaw("BODY "u8);
                BodyStructureEncoder.WriteBody(writer, message.Metadata!.Structure.Body);
                return;
            case FetchItemKind.BodyStructure:
                writer.WriteRaw("BODYSTRUCTURE "u8);
                BodyStructureEncoder.WriteBodyStructure(writer, message.Metadata!.Structure.Body);
                return;
            default:
                throw new InvalidOperationException($"FETCH item {item.Kind} needs the message bytes.");
        }
    }

    // MODSEQ (n): RFC 7162 §3.1.4.1 fetch-mod-resp.
    private static void WriteModSeq(ImapResponseWriter writer, ulong modSeq)
    {
        writer.WriteRaw("MODSEQ ("u8);
        writer.WriteNumber(modSeq);
        writer.WriteCloseParen();
    }
}

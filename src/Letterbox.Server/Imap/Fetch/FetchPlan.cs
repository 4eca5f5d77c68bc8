using System.Text;
using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Fetch;

/// <summary>One item of a <see cref="FetchPlan"/>: what to write and its response label as bytes.</summary>
/// <param name="Kind">The item kind; RFC822, RFC822.HEADER and RFC822.TEXT keep their kind but carry the
/// equivalent <paramref name="Section"/>.</param>
/// <param name="Label">The item name written in the response (<see cref="FetchItem.Label"/>, RFC 9051 §7.5.2), UTF-8.</param>
/// <param name="Section">The body section for section items; null otherwise.</param>
/// <param name="PartialOffset">Partial origin in octets, or null.</param>
/// <param name="PartialLength">Partial count in octets, or null.</param>
public sealed record FetchPlanItem(FetchItemKind Kind, byte[] Label, Section? Section, long? PartialOffset, long? PartialLength);

/// <summary>
/// What one FETCH command needs, worked out once from its items before any message is touched: which store calls
/// to make (flags only, metadata, message bytes), whether it sets <c>\Seen</c>, and the items to write with their
/// labels pre-encoded. Shared by every message of the command, so the per-message loop only writes.
/// </summary>
/// <remarks>
/// RFC 9051 §6.4.5 (items; non-PEEK BODY[…], RFC822 and RFC822.TEXT set \Seen), §7.5.2 (response labels),
/// RFC 7162 §3.1.4 (CHANGEDSINCE), §3.1 (once CONDSTORE is on, FETCH responses carry UID and MODSEQ).
/// </remarks>
public sealed class FetchPlan
{
    private static readonly Section s_whole = new([], SectionText.None, []);
    private static readonly Section s_header = new([], SectionText.Header, []);
    private static readonly Section s_text = new([], SectionText.Text, []);

    private FetchPlan(FetchPlanItem[] items)
    {
        Items = items;
    }

    /// <summary>Items in the order requested, without UID (written first when <see cref="IncludeUid"/>).</summary>
    public FetchPlanItem[] Items { get; }

    /// <summary>Write <c>UID n</c> first: UID FETCH, a UID item, or CONDSTORE on (RFC 7162 §3.1).</summary>
    public bool IncludeUid { get; private init; }

    /// <summary>FLAGS was requested.</summary>
    public bool FlagsRequested { get; private init; }

    /// <summary>Write <c>MODSEQ (n)</c> after the requested items: CONDSTORE is on or CHANGEDSINCE was given, and
    /// MODSEQ was not itself requested.</summary>
    public bool AppendModSeq { get; private init; }

    /// <summary>Needs each message's flags/MODSEQ (FLAGS, MODSEQ, CHANGEDSINCE or CONDSTORE).</summary>
    public bool NeedsFlags { get; private init; }

    /// <summary>Needs <c>GetMetadataAsync</c> (INTERNALDATE, RFC822.SIZE, ENVELOPE, BODY, BODYSTRUCTURE, sections).</summary>
    public bool NeedsMetadata { get; private init; }

    /// <summary>Needs the stored message bytes (any body section, RFC822, RFC822.HEADER, RFC822.TEXT).</summary>
    public bool NeedsMessage { get; private init; }

    /// <summary>Some item sets <c>\Seen</c> (non-PEEK BODY[…], RFC822, RFC822.TEXT; RFC 9051 §6.4.5).</summary>
    public bool SetsSeen { get; private init; }

    /// <summary>Only messages with MODSEQ above this (RFC 7162 §3.1.4 CHANGEDSINCE), or null.</summary>
    public ulong? ChangedSince { get; private init; }

    /// <summary>The command turns CONDSTORE on (RFC 7162 §3.1: a MODSEQ item or CHANGEDSINCE).</summary>
    public bool EnablesCondstore { get; private init; }

    /// <summary>Only FLAGS/MODSEQ items (besides UID): responses take the one-span fast path
    /// (<see cref="FlagsLineWriter"/>).</summary>
    public bool FlagsOnly { get; private init; }

    /// <summary>Builds the plan for <paramref name="command"/>.</summary>
    /// <param name="command">The parsed FETCH or UID FETCH.</param>
    /// <param name="condstore">True when CONDSTORE is already on for the session or mailbox.</param>
    public static FetchPlan Create(FetchCommand command, bool condstore)
    {
        var source = command.Items;
        var items = new List<FetchPlanItem>(source.Count);
        var includeUid = command.Uid;
        var flags = false;
        var modSeq = false;
        var metadata = false;
        var message = false;
        var setsSeen = false;
        for (var i = 0; i < source.Count; i++)
        {
            var item = source[i];
            Section? section = null;
            switch (item.Kind)
            {
                case FetchItemKind.Uid:
                    includeUid = true;
                    continue;
                case FetchItemKind.Flags:
                    flags = true;
                    break;
                case FetchItemKind.ModSeq:
                    modSeq = true;
                    break;
                case FetchItemKind.BodySection:
                    section = item.Section ?? s_whole;
                    setsSeen |= !item.Peek;
                    break;
                case FetchItemKind.Rfc822:
                    section = s_whole;
                    setsSeen = true;
                    break;
                case FetchItemKind.Rfc822Header:
                    section = s_header;
                    break;
                case FetchItemKind.Rfc822Text:
                    section = s_text;
                    setsSeen = true;
                    break;
                default:
                    metadata = true;
                    break;
            }
            if (section is not null)
            {
                metadata = true;
                message = true;
            }
            items.Add(new FetchPlanItem(item.Kind, Encoding.UTF8.GetBytes(item.Label), section, item.PartialOffset, item.PartialLength));
        }
        var enables = modSeq || command.ChangedSince is not null;
        var condstoreOn = condstore || enables;
        var plan = items.ToArray();
        return new FetchPlan(plan)
        {
            FlagsOnly = FlagsOnlyItems(plan),
            IncludeUid = includeUid || condstoreOn,
            FlagsRequested = flags,
            AppendModSeq = condstoreOn && !modSeq,
            NeedsFlags = flags || condstoreOn,
            NeedsMetadata = metadata,
            NeedsMessage = message,
            SetsSeen = setsSeen,
            ChangedSince = command.ChangedSince,
            EnablesCondstore = enables,
        };
    }

    private static bool FlagsOnlyItems(FetchPlanItem[] items)
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Kind is not (FetchItemKind.Flags or FetchItemKind.ModSeq))
            {
                return false;
            }
        }
        return true;
    }
}

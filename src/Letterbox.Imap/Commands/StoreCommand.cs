using Letterbox.Imap.Parsing;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Commands;

/// <summary>
/// <c>[UID] STORE set [(UNCHANGEDSINCE n)] (+|-)FLAGS[.SILENT] (flags)</c> (RFC 9051 §6.4.6, RFC 7162 §3.1.3).
/// System flags go to <see cref="Flags"/>, keywords to <see cref="Keywords"/>; <c>\Recent</c> is ignored.
/// </summary>
public sealed record StoreCommand(
    SequenceSet Set,
    bool Uid,
    FlagOperation Operation,
    bool Silent,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    ulong? UnchangedSince = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "STORE";

    /// <summary><c>SP sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP store-att-flags</c>, where the
    /// flags are a flag-list or bare flags.</summary>
    internal static StoreCommand Parse(ref ImapParser p, bool uid)
    {
        p.Sp("a sequence set");
        var set = p.SequenceSet();
        p.Sp("FLAGS, +FLAGS or -FLAGS");
        ulong? unchanged = null;
        if (p.TryConsume((byte)'('))
        {
            if (!p.TryKeyword("UNCHANGEDSINCE"u8))
            {
                throw ImapParser.Bad("Unknown STORE modifier: only UNCHANGEDSINCE is supported");
            }
            p.Sp("a mod-sequence");
            unchanged = p.Number64("UNCHANGEDSINCE mod-sequence");
            p.Expect((byte)')', "')' closing the STORE modifiers");
            p.Sp("FLAGS, +FLAGS or -FLAGS");
        }
        var op = FlagOperation.Replace;
        if (p.TryConsume((byte)'+'))
        {
            op = FlagOperation.Add;
        }
        else if (p.TryConsume((byte)'-'))
        {
            op = FlagOperation.Remove;
        }
        bool silent;
        if (p.TryKeyword("FLAGS"u8))
        {
            silent = false;
        }
        else if (p.TryKeyword("FLAGS.SILENT"u8))
        {
            silent = true;
        }
        else
        {
            throw ImapParser.Bad("Expected FLAGS, +FLAGS or -FLAGS (optionally .SILENT)");
        }
        p.Sp("a flag list");
        var flags = MessageFlags.None;
        var keywords = new List<string>();
        if (p.Peek() == '(')
        {
            p.FlagList(ref flags, keywords);
        }
        else
        {
            do
            {
                p.Flag(ref flags, keywords);
            }
            while (p.TrySp());
        }
        return new StoreCommand(set, uid, op, silent, flags, keywords, unchanged);
    }
}

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
}

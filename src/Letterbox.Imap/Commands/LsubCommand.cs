namespace Letterbox.Imap.Commands;

/// <summary><c>LSUB reference pattern</c> (RFC 3501 §6.3.9). Reference and pattern decoded to Unicode.</summary>
public sealed record LsubCommand(string Reference, string Pattern) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "LSUB";
}

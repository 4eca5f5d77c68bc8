namespace Letterbox.Imap.Commands;

/// <summary><c>ID ("name" "value" ...)</c> or <c>ID NIL</c> (RFC 2971). Parameters null for NIL.</summary>
public sealed record IdCommand(IReadOnlyList<KeyValuePair<string, string?>>? Parameters) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "ID";
}

namespace Letterbox.Imap.Commands;

/// <summary><c>SELECT mailbox</c> (ReadOnly false) or <c>EXAMINE mailbox</c> (ReadOnly true), RFC 9051 §6.3.2–3. Mailbox is decoded from modified UTF-7 to Unicode. Condstore is set by the <c>(CONDSTORE)</c> select parameter (RFC 7162).</summary>
public sealed record SelectCommand(string Mailbox, bool ReadOnly, bool Condstore = false) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SELECT";
}

namespace Letterbox.Imap.Commands;

/// <summary><c>LOGIN user password</c> (RFC 9051 §6.2.3).</summary>
public sealed record LoginCommand(string UserName, string Password) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "LOGIN";
}

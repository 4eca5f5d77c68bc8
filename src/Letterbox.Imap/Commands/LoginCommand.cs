using Letterbox.Imap.Parsing;
namespace Letterbox.Imap.Commands;

/// <summary><c>LOGIN user password</c> (RFC 9051 §6.2.3).</summary>
public sealed record LoginCommand(string UserName, string Password) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "LOGIN";

    /// <summary><c>SP userid SP password</c> (both astring).</summary>
    internal static LoginCommand Parse(ref ImapParser p)
    {
        p.Sp("a user name");
        var user = p.AString("user name");
        p.Sp("a password");
        var password = p.AString("password");
        return new LoginCommand(user, password);
    }
}

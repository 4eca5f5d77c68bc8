namespace Letterbox.Imap.Commands;

/// <summary>
/// A parsed client command (without its tag). Each command is one record in its own file, next to the
/// parser for its arguments; names follow RFC 9051 §6 and the ABNF in §9.
/// </summary>
public abstract record ImapCommand
{
    /// <summary>The command name as the registry knows it, upper case (e.g. "UID FETCH" is "FETCH" with Uid set).</summary>
    public abstract string Name { get; }
}

/// <summary>A command with its tag, as read from the wire.</summary>
/// <param name="Tag">The client's tag (RFC 9051 §2.2.1).</param>
/// <param name="Command">The parsed command.</param>
public sealed record ImapRequest(string Tag, ImapCommand Command);

using System.Reflection;
using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>ID (RFC 2971): answers <c>* ID ("name" "Letterbox" "version" "…")</c>; the client's fields are ignored.</summary>
public static class IdHandler
{
    private static readonly string Version =
        typeof(IdHandler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Writes the server's identification.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, IdCommand command, CancellationToken cancellationToken)
    {
        var writer = session.Writer;
        writer.WriteRaw("* ID (\"name\" "u8);
        writer.WriteString(session.Options.ServerName);
        writer.WriteRaw(" \"version\" "u8);
        writer.WriteString(Version);
        writer.WriteRaw(")\r\n"u8);
        return ValueTask.FromResult(CommandResult.Ok("ID completed"));
    }
}

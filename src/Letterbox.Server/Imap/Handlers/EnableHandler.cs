using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// ENABLE (RFC 5161, RFC 9051 §6.3.1): always answers <c>* ENABLED</c> listing what this command newly enabled
/// (possibly nothing); unknown or unadvertised names are ignored, not refused (CLIENT-QUIRKS 4).
/// </summary>
public static class EnableHandler
{
    /// <summary>Enables what it can and writes <c>* ENABLED …</c>.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, EnableCommand command, CancellationToken cancellationToken)
    {
        var writer = session.Writer;
        var enabled = EnabledExtensions.None;
        writer.WriteRaw("* ENABLED"u8);
        for (var i = 0; i < command.Capabilities.Count; i++)
        {
            var name = command.Capabilities[i];
            var flag = ToFlag(name);
            var advertised = ImapCapabilities.Find(name);
            if (flag == EnabledExtensions.None || advertised is null || ((session.Enabled | enabled) & flag) != 0)
            {
                continue;
            }
            enabled |= flag;
            writer.WriteSpace();
            writer.WriteAtom(advertised);
        }
        writer.WriteCrlf();
        session.Enable(enabled);
        return ValueTask.FromResult(CommandResult.Ok("ENABLE completed"));
    }

    private static EnabledExtensions ToFlag(string name) => name.ToUpperInvariant() switch
    {
        "IMAP4REV2" => EnabledExtensions.Imap4Rev2,
        "UTF8=ACCEPT" => EnabledExtensions.Utf8Accept,
        "CONDSTORE" => EnabledExtensions.Condstore,
        "QRESYNC" => EnabledExtensions.QResync,
        _ => EnabledExtensions.None,
    };
}

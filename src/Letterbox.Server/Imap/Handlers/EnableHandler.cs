using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// ENABLE (RFC 5161, RFC 9051 §6.3.1): always answers <c>* ENABLED</c> listing what this command newly enabled
/// (possibly nothing); unknown or unadvertised names are ignored, not refused (CLIENT-QUIRKS 4). QRESYNC also turns
/// on CONDSTORE (RFC 7162 §3.2.3): <c>ENABLE QRESYNC</c> → <c>* ENABLED QRESYNC</c>, <c>ENABLE QRESYNC CONDSTORE</c>
/// → <c>* ENABLED QRESYNC CONDSTORE</c>; a name already on from an earlier command is not listed again.
/// </summary>
public static class EnableHandler
{
    /// <summary>Enables what it can and writes <c>* ENABLED …</c>.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, EnableCommand command, CancellationToken cancellationToken)
    {
        var writer = session.Writer;
        var enabled = EnabledExtensions.None;
        var listed = EnabledExtensions.None;
        writer.WriteRaw("* ENABLED"u8);
        for (var i = 0; i < command.Capabilities.Count; i++)
        {
            var name = command.Capabilities[i];
            var flag = ToFlag(name);
            var advertised = ImapCapabilities.Find(name);
            if (flag == EnabledExtensions.None || advertised is null || ((session.Enabled | listed) & flag) != 0)
            {
                continue;
            }
            listed |= flag;
            enabled |= flag == EnabledExtensions.QResync ? EnabledExtensions.QResync | EnabledExtensions.Condstore : flag;
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

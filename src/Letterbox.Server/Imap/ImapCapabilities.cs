namespace Letterbox.Server.Imap;

/// <summary>
/// The one list of capabilities Letterbox advertises (RFC 9051 §6.1.1, §7.2.2), in the greeting and in CAPABILITY.
/// Only what works is listed: add a name here in the same commit that makes it work.
/// </summary>
/// <remarks>
/// STARTTLS is not implemented yet (the command answers BAD) and so is not advertised; LOGIN and AUTH=PLAIN are
/// offered over plaintext until it is (LOGINDISABLED, RFC 9051 §6.2.3, will apply then).
/// </remarks>
public static class ImapCapabilities
{
    /// <summary>Advertised capability names, in order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "IMAP4rev1",
        "IMAP4rev2",
        "LITERAL+",
        "SASL-IR",
        "ID",
        "ENABLE",
        "IDLE",
        "NAMESPACE",
        "UNSELECT",
        "UIDPLUS",
        "MOVE",
        "ESEARCH",
        "SEARCHRES",
        "CHILDREN",
        "LIST-EXTENDED",
        "LIST-STATUS",
        "SPECIAL-USE",
        "AUTH=PLAIN",
    ];

    /// <summary>The list as one space-separated line, e.g. <c>IMAP4rev1 IMAP4rev2 …</c>; built once.</summary>
    public static string Line { get; } = string.Join(' ', All);

    /// <summary>The greeting's response code: <c>CAPABILITY IMAP4rev1 …</c> (RFC 9051 §7.1).</summary>
    public static string ResponseCode { get; } = "CAPABILITY " + Line;

    /// <summary>Extensions ENABLE can turn on (RFC 5161 §3.1); only those also advertised are enabled.</summary>
    public static IReadOnlyList<string> Enableable { get; } = ["IMAP4rev2", "UTF8=ACCEPT", "CONDSTORE", "QRESYNC"];

    /// <summary>Returns the advertised spelling of <paramref name="name"/> (case-insensitive match), or null when
    /// it is not advertised.</summary>
    public static string? Find(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return All[i];
            }
        }
        return null;
    }
}

namespace Letterbox.Server.Imap;

/// <summary>
/// The one place that computes the capabilities Letterbox advertises (RFC 9051 §6.1.1, §7.2.2), in the greeting,
/// in CAPABILITY and after authentication. Only what works is listed: add a name here in the same commit that makes
/// it work. The line depends on the connection's security (<see cref="For(bool, bool, bool)"/>).
/// </summary>
/// <remarks>
/// STARTTLS (RFC 9051 §6.2.1) is listed only on a cleartext connection that can upgrade; LOGINDISABLED (§6.2.3) and
/// the absence of the password-sending mechanisms AUTH=PLAIN (RFC 4616) and AUTH=LOGIN mark a connection where
/// plaintext passwords are refused (RFC 8314 §5.1, RFC 2595 §3.2). AUTH=SCRAM-SHA-256 (RFC 7677) never sends the
/// password and is always offered; AUTH=SCRAM-SHA-256-PLUS (RFC 5802 §6, with tls-server-end-point, RFC 5929) only
/// under TLS.
/// </remarks>
public static class ImapCapabilities
{
    private static readonly string[] Lines = new string[8];

    /// <summary>Capability names advertised on every connection, in order (without STARTTLS, LOGINDISABLED and
    /// AUTH= mechanisms, which depend on the connection).</summary>
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
        "MULTIAPPEND",
        "ESEARCH",
        "SEARCHRES",
        "PARTIAL",
        "WITHIN",
        "CHILDREN",
        "LIST-EXTENDED",
        "LIST-STATUS",
        "SPECIAL-USE",
        "SORT",
        "SORT=DISPLAY",
        "ESORT",
        "THREAD=ORDEREDSUBJECT",
        "THREAD=REFERENCES",
        "THREAD=REFS",
        "CONDSTORE",
        "QRESYNC",
        "NOTIFY",
    ];

    /// <summary>SASL mechanisms that send the password itself (allowed only where plaintext auth is).</summary>
    public static IReadOnlyList<string> PasswordMechanisms { get; } = ["PLAIN", "LOGIN"];

    /// <summary>SASL mechanisms that never reveal the password (always offered).</summary>
    public static IReadOnlyList<string> ChallengeMechanisms { get; } = ["SCRAM-SHA-256"];

    /// <summary>Extensions ENABLE can turn on (RFC 5161 §3.1); only those also advertised are enabled.</summary>
    public static IReadOnlyList<string> Enableable { get; } = ["IMAP4rev2", "UTF8=ACCEPT", "CONDSTORE", "QRESYNC"];

    /// <summary>
    /// The capability line (names separated by spaces, e.g. <c>IMAP4rev1 IMAP4rev2 …</c>) for a connection; built
    /// once per combination.
    /// </summary>
    /// <param name="startTlsAvailable">The connection is cleartext and can upgrade: list STARTTLS.</param>
    /// <param name="plaintextAuthAllowed">LOGIN and AUTH=PLAIN/LOGIN are allowed; otherwise list LOGINDISABLED.</param>
    /// <param name="channelBinding">The connection is TLS with a channel binding: list AUTH=SCRAM-SHA-256-PLUS.</param>
    public static string For(bool startTlsAvailable, bool plaintextAuthAllowed, bool channelBinding = false)
    {
        var index = (startTlsAvailable ? 1 : 0) | (plaintextAuthAllowed ? 2 : 0) | (channelBinding ? 4 : 0);
        return Lines[index] ??= Build(startTlsAvailable, plaintextAuthAllowed, channelBinding);
    }

    /// <summary>The line for <paramref name="session"/>'s current connection security.</summary>
    public static string For(ImapSession session) => For(session.StartTlsAvailable, session.PlaintextAuthAllowed, session.ServerEndPointBinding is not null);

    /// <summary>Returns the advertised spelling of <paramref name="name"/> among <see cref="All"/> (case-insensitive
    /// match), or null when it is not advertised.</summary>
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

    private static string Build(bool startTlsAvailable, bool plaintextAuthAllowed, bool channelBinding)
    {
        var names = new List<string>(All);
        if (startTlsAvailable)
        {
            names.Add("STARTTLS");
        }
        if (!plaintextAuthAllowed)
        {
            names.Add("LOGINDISABLED");
        }
        else
        {
            foreach (var mechanism in PasswordMechanisms)
            {
                names.Add("AUTH=" + mechanism);
            }
        }
        foreach (var mechanism in ChallengeMechanisms)
        {
            names.Add("AUTH=" + mechanism);
            if (channelBinding)
            {
                names.Add("AUTH=" + mechanism + "-PLUS");
            }
        }
        return string.Join(' ', names);
    }
}

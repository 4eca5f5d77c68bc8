using Letterbox.Mail.Sorting;

namespace Letterbox.Mail.Tests.Sorting;

/// <summary>RFC 5256 §2.1 base subject extraction; expectations worked out by hand from the steps and the ABNF (§5).</summary>
public sealed class BaseSubjectTests
{
    [Theory]
    [InlineData("Hello", "Hello", false)]
    [InlineData("Re: Hello", "Hello", true)]                       // subj-refwd
    [InlineData("RE:Hello", "Hello", true)]
    [InlineData("re : Hello", "Hello", true)]                      // *WSP before ":"
    [InlineData("Re: Re: Hello", "Hello", true)]                   // (5) repeat
    [InlineData("Re[2]: Hello", "Hello", true)]                    // subj-blob inside subj-refwd
    [InlineData("Re [2] : Hello", "Hello", true)]
    [InlineData("Fwd: Hello", "Hello", true)]
    [InlineData("FW: Hello", "Hello", true)]
    [InlineData("fwd:Hello", "Hello", true)]
    [InlineData("Hello (fwd)", "Hello", true)]                     // (2) subj-trailer
    [InlineData("Hello (FWD) (fwd)  ", "Hello", true)]
    [InlineData("Hello(fwd)", "Hello", true)]
    [InlineData("[fwd: Hello]", "Hello", true)]                    // (6) subj-fwd-hdr / subj-fwd-trl
    [InlineData("[Fwd: Re: Hello]", "Hello", true)]
    [InlineData("Re: [fwd: Re: Hello] (fwd)", "Hello", true)]
    [InlineData("[list] Re: Hello", "Hello", true)]                // subj-leader = *subj-blob subj-refwd
    [InlineData("[list] Hello", "Hello", false)]                   // (4) blob removed, base not empty
    [InlineData("[a][b] Re: [c] Hello", "Hello", true)]
    [InlineData("[PATCH v2] Re: x", "x", true)]
    [InlineData("Re: Re[3]: Fwd: x", "x", true)]
    [InlineData("[list]", "[list]", false)]                        // last blob is the base when nothing else is left
    [InlineData("Re: [list]", "[list]", true)]
    [InlineData("[a] [b]", "[b]", false)]
    [InlineData("[unclosed Re: x", "[unclosed Re: x", false)]     // not a blob
    [InlineData("  Hello   world  ", "Hello world", false)]       // (1) spaces collapsed, (2)/(3) WSP removed
    [InlineData("Hello\tworld", "Hello world", false)]
    [InlineData("Hello\r\n world", "Hello world", false)]
    [InlineData("Reply: x", "Reply: x", false)]                    // "re" must be followed by *WSP [blob] ":"
    [InlineData("Fwd Hello", "Fwd Hello", false)]
    [InlineData("Refwd: x", "Refwd: x", false)]
    [InlineData("Re:", "", true)]
    [InlineData("Re: (fwd)", "", true)]
    [InlineData("[fwd:]", "", true)]
    [InlineData("", "", false)]
    [InlineData("Hello [fwd: x]", "Hello [fwd: x]", false)]       // (6) only when it begins the text
    [InlineData("Sv: Hej", "Sv: Hej", false)]                     // translations are not removed (RFC 5256 §7)
    public void ExtractsTheBaseSubject(string subject, string expected, bool reply)
    {
        Assert.Equal(expected, BaseSubject.Extract(subject, out var isReply));
        Assert.Equal(reply, isReply);
    }

    /// <summary>(1) RFC 2047 words are decoded first, so an encoded "Re:" is removed too.</summary>
    [Theory]
    [InlineData("=?UTF-8?Q?Re=3A_caf=C3=A9?=", "café", true)]
    [InlineData("Re: =?ISO-8859-1?Q?Caf=E9?=", "Café", true)]
    [InlineData("=?utf-8?b?W2xpc3RdIEhlbGxv?=", "Hello", false)]   // "[list] Hello"
    [InlineData("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab", false)]         // white space between adjacent words dropped (RFC 2047 §6.2)
    [InlineData(null, "", false)]
    // Regressions from the corpus conformance set (issue 6): charsets .NET does not load by default.
    // UTF-7 (RFC 2152), as Outlook 2000 wrote it (corpus eml/legacy/001.eml; Dovecot decodes it too).
    [InlineData("=?utf-7?Q?Die_Hasen_und_die_Fr+APY-sche_=28Microsoft_Outlook_00=29?=", "Die Hasen und die Fr\u00f6sche (Microsoft Outlook 00)", false)]
    // ISO-2022-JP split over two words (corpus eml/mimekit/japanese.txt): a code page charset.
    [InlineData("=?ISO-2022-JP?B?GyRCRnxLXDhsJWEhPCVrJUYlOSVIGyhCICh0ZXN0aW5nIEph?= =?ISO-2022-JP?B?cGFuZXNlIGVtYWlscyk=?=", "\u65e5\u672c\u8a9e\u30e1\u30fc\u30eb\u30c6\u30b9\u30c8 (testing Japanese emails)", false)]
    public void DecodesEncodedWordsFirst(string? raw, string expected, bool reply)
    {
        Assert.Equal(expected, BaseSubject.FromHeader(raw, out var isReply));
        Assert.Equal(reply, isReply);
    }
}

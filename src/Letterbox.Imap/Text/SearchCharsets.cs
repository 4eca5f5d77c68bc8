using System.Text;

namespace Letterbox.Imap.Text;

/// <summary>
/// The charsets SEARCH (and SORT/THREAD) accept for their strings (RFC 9051 §6.4.4 "CHARSET"): UTF-8, US-ASCII and
/// the legacy charsets .NET can decode (ISO-8859-x, windows-125x, KOI8-R, ISO-2022-JP, Shift_JIS,
/// EUC-JP, GB2312/GBK, Big5, EUC-KR…, through <see cref="CodePagesEncodingProvider"/>). Search strings are decoded
/// from the charset before matching (text is matched as Unicode, whatever the message's own charset).
/// </summary>
public static class SearchCharsets
{
    /// <summary>The response code for an unknown charset (RFC 9051 §7.1 BADCHARSET), listing the usual ones.</summary>
    public const string BadCharsetCode =
        "BADCHARSET (UTF-8 US-ASCII ISO-8859-1 ISO-8859-2 ISO-8859-5 ISO-8859-7 ISO-8859-15 WINDOWS-1250 WINDOWS-1251 " +
        "WINDOWS-1252 KOI8-R ISO-2022-JP SHIFT_JIS EUC-JP GB2312 GBK BIG5 EUC-KR)";

    static SearchCharsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Finds the decoder of <paramref name="name"/> (case-insensitive, the IANA name or an alias);
    /// false when no decoder is known.</summary>
    public static bool TryGet(string name, out Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(name);
        switch (name.ToUpperInvariant())
        {
            case "UTF-8" or "UTF8":
                encoding = Encoding.UTF8;
                return true;
            case "US-ASCII" or "ASCII":
                // UTF-8 is a superset: a client that says US-ASCII but sends UTF-8 still finds its text.
                encoding = Encoding.UTF8;
                return true;
        }
        try
        {
            encoding = Encoding.GetEncoding(name);
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or ArgumentException)
        {
            encoding = Encoding.UTF8;
            return false;
        }
    }
}

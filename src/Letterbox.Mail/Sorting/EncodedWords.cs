using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Letterbox.Mail.Sorting;

/// <summary>
/// RFC 2047 decoding for the SORT/THREAD string keys (RFC 5256 §2.1 step 1 and RFC 5957 §3 "decode any [RFC2047]
/// encoded-words") with every charset an encoded word may name: the legacy code pages (ISO-2022-JP, Shift_JIS,
/// KOI8-R… through <see cref="CodePagesEncodingProvider"/>, which .NET does not load by default) and UTF-7
/// (RFC 2152), which MimeKit does not decode. Found by the corpus conformance set (issue 6): eml/mimekit/japanese.txt
/// and the Outlook 2000 <c>=?utf-7?Q?…?=</c> subjects of eml/legacy; Dovecot decodes both.
/// </summary>
/// <remarks>MimeKit resolves every charset once, when it first decodes anything, and keeps the answer: the code pages
/// must be registered before any MimeKit use in the process, or the keys of a message would depend on what ran
/// first. Hence a module initializer: it runs when Letterbox.Mail is first touched (store creation, at startup),
/// before the first message is parsed.</remarks>
public static partial class EncodedWords
{
#pragma warning disable CA2255 // The registration must precede MimeKit's first charset lookup (see remarks).
    [ModuleInitializer]
    internal static void Initialize() => RegisterCharsets();
#pragma warning restore CA2255

    /// <summary>Makes the legacy code pages available to MimeKit (idempotent). Letterbox.Mail does this when it is
    /// loaded; a process that uses MimeKit before touching Letterbox.Mail (a test assembly parsing the corpus
    /// first) calls it at its own start.</summary>
    public static void RegisterCharsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The raw bytes of a header value with every UTF-7 encoded word re-encoded as a UTF-8 word (see
    /// <see cref="Text"/>), for MimeKit's address parser; <paramref name="raw"/> itself when it has none.</summary>
    public static byte[] Utf7AsUtf8Words(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.AsSpan().IndexOf("=?"u8) < 0)
        {
            return raw; // no encoded word at all (most values): no copy
        }
        var latin1 = Encoding.Latin1.GetString(raw);
        var rewritten = WithUtf7Decoded(latin1);
        return ReferenceEquals(rewritten, latin1) ? raw : Encoding.Latin1.GetBytes(rewritten);
    }

#pragma warning disable SYSLIB0001 // UTF-7 is obsolete for writing; decoding old mail still needs it.
    private static readonly Encoding Utf7 = new UTF7Encoding();
#pragma warning restore SYSLIB0001

    /// <summary>Whether <paramref name="charset"/> names UTF-7 (RFC 2152): "utf-7" or "unicode-1-1-utf-7", any case.
    /// .NET's <see cref="Encoding.GetEncoding(string)"/> no longer gives it, so MimeKit cannot decode such text.</summary>
    internal static bool IsUtf7Charset(string? charset)
        => string.Equals(charset, "utf-7", StringComparison.OrdinalIgnoreCase)
            || string.Equals(charset, "unicode-1-1-utf-7", StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes UTF-7 (RFC 2152) octets; malformed shifts become U+FFFD, never an exception.</summary>
    internal static string DecodeUtf7(byte[] octets) => Utf7.GetString(octets);

    /// <summary>Decodes the encoded words of unstructured text (a Subject, RFC 2047 §5 (1)); returns
    /// <paramref name="value"/> itself when it has none.</summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }
        return Rfc2047.DecodeText(ParserOptions.Default, Encoding.UTF8.GetBytes(WithUtf7Decoded(value)));
    }

    /// <summary>Decodes the encoded words of a phrase (a display name, RFC 2047 §5 (3)).</summary>
    public static string Phrase(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }
        return Rfc2047.DecodePhrase(ParserOptions.Default, Encoding.UTF8.GetBytes(WithUtf7Decoded(value)));
    }

    /// <summary>Re-encodes every UTF-7 encoded word as the same text in a UTF-8 word (<c>=?utf-8?B?…?=</c>), so MimeKit
    /// decodes it and the white space rules between adjacent words (RFC 2047 §6.2) still apply.</summary>
    private static string WithUtf7Decoded(string value)
    {
        if (value.IndexOf("=?utf-7", StringComparison.OrdinalIgnoreCase) < 0 && value.IndexOf("=?unicode-1-1-utf-7", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return value;
        }
        var rewritten = Utf7Word().Replace(value, static match =>
        {
            byte[] octets;
            var payload = match.Groups["text"].Value;
            if (match.Groups["encoding"].Value is "B" or "b")
            {
                try
                {
                    octets = Convert.FromBase64String(payload.PadRight((payload.Length + 3) / 4 * 4, '='));
                }
                catch (FormatException)
                {
                    return match.Value;
                }
            }
            else
            {
                octets = QDecode(payload);
            }
            return "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(DecodeUtf7(octets))) + "?=";
        });
        return rewritten == value ? value : rewritten;
    }

    /// <summary>RFC 2047 §4.2 "Q": "_" is a space, "=XX" an octet.</summary>
    private static byte[] QDecode(string payload)
    {
        var octets = new List<byte>(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            var c = payload[i];
            if (c == '_')
            {
                octets.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && byte.TryParse(payload.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var octet))
            {
                octets.Add(octet);
                i += 2;
            }
            else
            {
                octets.Add((byte)c);
            }
        }
        return [.. octets];
    }

    [GeneratedRegex(@"=\?(?:utf-7|unicode-1-1-utf-7)(?:\*[^?]*)?\?(?<encoding>[BbQq])\?(?<text>[^?\s]*)\?=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Utf7Word();
}

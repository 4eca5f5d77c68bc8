using System.Text;

namespace Letterbox.Mail.Sorting;

/// <summary>
/// The <c>i;unicode-casemap</c> collation (RFC 5051), which SORT and THREAD use for every string (RFC 5256 §7):
/// each character is replaced by its simple titlecase mapping, the result is put in NFKD, and keys compare as
/// UTF-8 octets (code point order). <see cref="Key"/> is computed once at delivery; <see cref="Compare"/> then
/// needs no casing work.
/// </summary>
/// <remarks>On ASCII text this equals <c>i;ascii-casemap</c> (RFC 4790 §9.2): letters compare as upper case.</remarks>
public static class UnicodeCasemap
{
    /// <summary>The collation key of <paramref name="value"/> (RFC 5051 §2 steps 1–2); empty for null.</summary>
    public static string Key(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        var ascii = true;
        foreach (var c in value)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }
        }
        if (ascii)
        {
            return value.ToUpperInvariant();
        }
        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            builder.Append(Titlecase(rune).ToString());
        }
        return Nfkd.Normalize(builder.ToString());
    }

    /// <summary>Compares two keys in code point (UTF-8 octet) order: negative, zero or positive.</summary>
    public static int Compare(string? x, string? y)
    {
        var a = (x ?? string.Empty).AsSpan();
        var b = (y ?? string.Empty).AsSpan();
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length - b.Length;
        }
        return Fix(a[common]) - Fix(b[common]);
    }

    /// <summary>UTF-16 order differs from code point order only between surrogates (U+10000 and up) and
    /// U+E000–U+FFFF; lift surrogates above the BMP so the first differing code unit decides correctly.</summary>
    private static int Fix(char c) => c >= 0xD800 && c <= 0xDFFF ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;

    /// <summary>Simple titlecase mapping (UnicodeData.txt field 14). It equals the upper-case mapping except for
    /// the Latin digraphs DŽ/LJ/NJ/DZ, whose titlecase forms are the mixed-case letters.</summary>
    private static Rune Titlecase(Rune rune) => rune.Value switch
    {
        0x01C4 or 0x01C5 or 0x01C6 => new Rune(0x01C5),
        0x01C7 or 0x01C8 or 0x01C9 => new Rune(0x01C8),
        0x01CA or 0x01CB or 0x01CC => new Rune(0x01CB),
        0x01F1 or 0x01F2 or 0x01F3 => new Rune(0x01F2),
        _ => Rune.ToUpperInvariant(rune),
    };
}

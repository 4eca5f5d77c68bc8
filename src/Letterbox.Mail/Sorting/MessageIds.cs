using MimeKit.Utils;

namespace Letterbox.Mail.Sorting;

/// <summary>
/// Message-ID parsing for threading (RFC 5256 §3 REFERENCES): ids are taken between angle brackets and normalised
/// by MimeKit (quoting removed: <c>&lt;"01KF8"@x.com&gt;</c> = <c>&lt;01KF8@x.com&gt;</c>); text outside brackets
/// (comments, addresses after the id in In-Reply-To) is ignored. Comparisons are case-sensitive.
/// </summary>
public static class MessageIds
{
    /// <summary>The first valid id in <paramref name="value"/> (Message-ID, In-Reply-To), or null.</summary>
    public static string? First(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        foreach (var id in MimeUtils.EnumerateReferences(value))
        {
            if (Valid(Normalize(id)) is { } valid)
            {
                return valid;
            }
        }
        return null;
    }

    /// <summary>Every valid id in <paramref name="value"/> (References), in order.</summary>
    public static List<string> All(string? value)
    {
        var ids = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return ids;
        }
        foreach (var id in MimeUtils.EnumerateReferences(value))
        {
            if (Valid(Normalize(id)) is { } valid)
            {
                ids.Add(valid);
            }
        }
        return ids;
    }

    /// <summary>The id itself when usable (non-empty, no white space, controls or angle brackets), else null.</summary>
    private static string? Valid(string id)
    {
        if (id.Length == 0)
        {
            return null;
        }
        foreach (var c in id)
        {
            if (c <= ' ' || c == '<' || c == '>' || c == 0x7F)
            {
                return null;
            }
        }
        return id;
    }

    /// <summary>Removes the quotes of a quoted local part (<c>"01KF8"@x</c> → <c>01KF8@x</c>, RFC 5256 §3) when
    /// what they enclose needs no quoting (atext and dots, RFC 5322 §3.2.3); otherwise keeps the id as written.</summary>
    private static string Normalize(string id)
    {
        var at = id.LastIndexOf('@');
        if (at < 2 || id[0] != '"' || id[at - 1] != '"')
        {
            return id;
        }
        var local = id.AsSpan(1, at - 2);
        if (local.Length == 0)
        {
            return id;
        }
        foreach (var c in local)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '.' || "!#$%&'*+-/=?^_`{|}~".Contains(c) || c >= 0x80))
            {
                return id;
            }
        }
        return string.Concat(local, id.AsSpan(at));
    }
}

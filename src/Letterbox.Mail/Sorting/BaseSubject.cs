using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Letterbox.Mail.Sorting;

/// <summary>
/// The "base subject" of RFC 5256 §2.1, which SORT (SUBJECT) and THREAD compare: the subject with reply/forward
/// artifacts (<c>Re:</c>, <c>Fwd:</c>, <c>[list]</c> blobs, <c>(fwd)</c>, <c>[fwd: …]</c>) removed.
/// </summary>
/// <remarks>
/// Steps (RFC 5256 §2.1): (1) decode RFC 2047 words, turn tabs and line breaks into spaces and collapse runs of
/// spaces; (2) remove trailing <c>subj-trailer</c>s (<c>"(fwd)"</c> / WSP); (3) remove leading <c>subj-leader</c>s
/// (<c>*subj-blob subj-refwd</c> / WSP); (4) remove a leading <c>subj-blob</c> if a non-empty base remains; (5) repeat
/// 3–4; (6) unwrap <c>"[fwd:" … "]"</c> and repeat from 2. Keywords match case-insensitively (ASCII), as the ABNF's
/// quoted strings do (RFC 5234 §2.3).
/// </remarks>
public static class BaseSubject
{
    /// <summary>
    /// The base subject of a Subject header value as the ENVELOPE holds it (unfolded; RFC 2047 words still encoded);
    /// empty for null. <paramref name="isReplyOrForward"/> is true when extraction removed a <c>subj-refwd</c>, a
    /// <c>(fwd)</c> trailer or a <c>[fwd: …]</c> wrapper (RFC 5256 §3, REFERENCES).
    /// </summary>
    public static string FromHeader(string? rawSubject, out bool isReplyOrForward)
    {
        if (string.IsNullOrEmpty(rawSubject))
        {
            isReplyOrForward = false;
            return string.Empty;
        }
        return Extract(EncodedWords.Text(rawSubject), out isReplyOrForward);
    }

    /// <summary>The base subject of already decoded subject text (RFC 5256 §2.1 steps 1–7, without the RFC 2047
    /// decoding of step 1).</summary>
    public static string Extract(string subject, out bool isReplyOrForward)
    {
        ArgumentNullException.ThrowIfNull(subject);
        isReplyOrForward = false;
        var s = Normalize(subject);
        while (true)
        {
            // (2) trailers: "(fwd)" or WSP, repeatedly.
            var end = s.Length;
            while (true)
            {
                if (end > 0 && s[end - 1] == ' ')
                {
                    end--;
                }
                else if (end >= 5 && s.AsSpan(end - 5, 5).Equals("(fwd)", StringComparison.OrdinalIgnoreCase))
                {
                    end -= 5;
                    isReplyOrForward = true;
                }
                else
                {
                    break;
                }
            }
            // (3)-(5) leaders and blobs.
            var start = 0;
            while (true)
            {
                var leader = Leader(s, start, end);
                if (leader > 0)
                {
                    if (s[start] != ' ')
                    {
                        isReplyOrForward = true;
                    }
                    start += leader;
                    continue;
                }
                var blob = Blob(s, start, end);
                if (blob > 0 && start + blob < end)
                {
                    start += blob;
                    continue;
                }
                break;
            }
            s = s[start..end];
            // (6) "[fwd:" subject "]".
            if (s.Length >= 6 && s.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && s[^1] == ']')
            {
                s = s[5..^1];
                isReplyOrForward = true;
                continue;
            }
            return s;
        }
    }

    /// <summary>Step 1 after decoding: tabs, CR and LF become spaces; runs of spaces become one.</summary>
    private static string Normalize(string subject)
    {
        var clean = true;
        for (var i = 0; i < subject.Length; i++)
        {
            var c = subject[i];
            if (c == '\t' || c == '\r' || c == '\n' || (c == ' ' && i > 0 && subject[i - 1] == ' '))
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            return subject;
        }
        var builder = new StringBuilder(subject.Length);
        foreach (var raw in subject)
        {
            var c = raw is '\t' or '\r' or '\n' ? ' ' : raw;
            if (c == ' ' && builder.Length > 0 && builder[^1] == ' ')
            {
                continue;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>Length of a <c>subj-leader</c> at <paramref name="start"/> (<c>(*subj-blob subj-refwd) / WSP</c>), 0 if none.</summary>
    private static int Leader(string s, int start, int end)
    {
        if (start >= end)
        {
            return 0;
        }
        if (s[start] == ' ')
        {
            return 1;
        }
        var i = start;
        while (true)
        {
            var blob = Blob(s, i, end);
            if (blob == 0)
            {
                break;
            }
            i += blob;
        }
        var refwd = RefFwd(s, i, end);
        return refwd == 0 ? 0 : i + refwd - start;
    }

    /// <summary>Length of a <c>subj-refwd</c> (<c>("re" / ("fw" ["d"])) *WSP [subj-blob] ":"</c>) at <paramref name="i"/>, 0 if none.</summary>
    private static int RefFwd(string s, int i, int end)
    {
        var j = i;
        if (j + 2 <= end && s.AsSpan(j, 2).Equals("re", StringComparison.OrdinalIgnoreCase))
        {
            j += 2;
        }
        else if (j + 2 <= end && s.AsSpan(j, 2).Equals("fw", StringComparison.OrdinalIgnoreCase))
        {
            j += 2;
            if (j < end && (s[j] == 'd' || s[j] == 'D'))
            {
                j++;
            }
        }
        else
        {
            return 0;
        }
        while (j < end && s[j] == ' ')
        {
            j++;
        }
        j += Blob(s, j, end);
        return j < end && s[j] == ':' ? j + 1 - i : 0;
    }

    /// <summary>Length of a <c>subj-blob</c> (<c>"[" *BLOBCHAR "]" *WSP</c>) at <paramref name="i"/>, 0 if none.</summary>
    private static int Blob(string s, int i, int end)
    {
        if (i >= end || s[i] != '[')
        {
            return 0;
        }
        var j = i + 1;
        while (j < end && s[j] != ']')
        {
            if (s[j] == '[' || s[j] == '\0')
            {
                return 0;
            }
            j++;
        }
        if (j >= end)
        {
            return 0;
        }
        j++;
        while (j < end && s[j] == ' ')
        {
            j++;
        }
        return j - i;
    }
}

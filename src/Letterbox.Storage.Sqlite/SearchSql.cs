using System.Globalization;
using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Sqlite;

/// <summary>A search translated with the full-text index: <see cref="Where"/> over <c>messages m</c> with text
/// parameters <c>$t0</c>, <c>$t1</c>… (<see cref="Parameters"/>). When <see cref="Exact"/>, it selects exactly the
/// matching messages among those whose text is indexed; otherwise it selects a superset, to be checked with
/// <see cref="SearchEvaluator"/> against the stored text.</summary>
internal sealed record IndexedQuery(string Where, IReadOnlyList<string> Parameters, bool Exact);

/// <summary>
/// Translates searches into SQL <c>WHERE</c> expressions over <c>messages m</c>. <see cref="TryTranslate"/> takes only
/// keys on message columns (flags, size, INTERNALDATE, UID, MODSEQ), so SELECT's first-unseen lookup or
/// <c>SEARCH UNSEEN SINCE d</c> on 100,000 messages is one table scan in SQLite instead of materialising every row.
/// <see cref="TranslateWithIndex"/> also takes header, body and text keys through the full-text index
/// (<c>search_text</c>, <c>search_fields</c>, <c>search_texts</c>, see docs/storage.md) and OLDER/YOUNGER, and
/// turns what it cannot translate exactly into a superset. <see cref="SearchEvaluator"/> is the reference semantics
/// (RFC 9051 §6.4.4); both must agree.
/// </summary>
internal static class SearchSql
{
    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>What a translated key gives: nothing (column-only mode met a key it cannot translate), exactly the
    /// matches, or a superset of them.</summary>
    private enum Translation
    {
        Failed,
        Exact,
        Superset,
    }

    /// <summary>State of one <see cref="TranslateWithIndex"/> call; null in column-only mode.</summary>
    private sealed class IndexContext(DateTimeOffset now)
    {
        public DateTimeOffset Now { get; } = now;
        public List<string> Parameters { get; } = [];
    }

    /// <summary>Columns of <c>search_fields</c>, by folded field name (FROM, TO, CC, BCC, SUBJECT).</summary>
    internal static string? FieldColumn(string foldedField) => foldedField switch
    {
        "FROM" => "from_",
        "TO" => "to_",
        "CC" => "cc",
        "BCC" => "bcc",
        "SUBJECT" => "subject",
        _ => null,
    };

    /// <summary>Returns the WHERE expression for <paramref name="key"/>, or null when some part cannot be translated.
    /// Only integers are inlined, never strings, so the text is safe to concatenate.</summary>
    public static string? TryTranslate(SearchKey key)
    {
        var sql = new StringBuilder();
        return Append(sql, key, 0, null) == Translation.Exact ? sql.ToString() : null;
    }

    /// <summary>Translates any key with the full-text index; strings travel as parameters, never inlined.
    /// <paramref name="now"/> is the reference time of OLDER/YOUNGER (RFC 5032).</summary>
    public static IndexedQuery TranslateWithIndex(SearchKey key, DateTimeOffset now)
    {
        var sql = new StringBuilder();
        var context = new IndexContext(now);
        var result = Append(sql, key, 0, context);
        return new IndexedQuery(sql.ToString(), context.Parameters, result == Translation.Exact);
    }

    /// <summary>Appends <paramref name="key"/>; in index mode (<paramref name="context"/> set), a key it cannot
    /// translate becomes <c>1</c> (a superset), and NOT of a superset becomes <c>1</c> too.</summary>
    private static Translation Append(StringBuilder sql, SearchKey key, int depth, IndexContext? context)
    {
        var mark = sql.Length;
        var parameters = context?.Parameters.Count ?? 0;
        var result = depth > 64 ? Translation.Failed : AppendKey(sql, key, depth, context);
        if (result != Translation.Failed || context is null) return result;
        // Index mode: anything untranslatable is "maybe", checked afterwards by the evaluator.
        sql.Length = mark;
        context.Parameters.RemoveRange(parameters, context.Parameters.Count - parameters);
        sql.Append('1');
        return Translation.Superset;
    }

    private static Translation AppendKey(StringBuilder sql, SearchKey key, int depth, IndexContext? context)
    {
        switch (key)
        {
            case AllKey:
                sql.Append('1');
                return Translation.Exact;
            case FlagKey flag:
                sql.Append("(m.flags & ").Append(Num((long)flag.Flag)).Append(flag.IsSet ? ") <> 0" : ") = 0");
                return Translation.Exact;
            case RecentKey recent:
                sql.Append(recent.IsRecent ? '0' : '1'); // no message is ever \Recent (see RecentKey)
                return Translation.Exact;
            case SizeKey size:
                sql.Append(size.Larger ? "m.size > " : "m.size < ").Append(Num(size.Size));
                return Translation.Exact;
            case ModSeqKey modSeq:
                if (modSeq.ModSeq > long.MaxValue) return Translation.Failed;
                sql.Append("m.modseq >= ").Append(Num((long)modSeq.ModSeq));
                return Translation.Exact;
            case DateKey { Field: DateField.Internal } date:
                // The INTERNALDATE's calendar day in its own offset, as a day number since 1970-01-01.
                sql.Append("((m.internal_date + m.internal_date_offset * 60) / 86400 - ((m.internal_date + m.internal_date_offset * 60) % 86400 < 0)) ")
                    .Append(date.Comparison switch { DateComparison.Before => "< ", DateComparison.On => "= ", _ => ">= " })
                    .Append(Num(date.Date.DayNumber - UnixEpochDay));
                return Translation.Exact;
            case UidSetKey uidSet:
                return AppendUids(sql, uidSet.Uids) ? Translation.Exact : Translation.Failed;
            case WithinKey within when context is not null:
            {
                // OLDER n: now - date > n, i.e. date < now - n; YOUNGER n: date >= now - n. INTERNALDATE has whole
                // seconds, so comparing with the ceiling of now - n is exact.
                var ticks = context.Now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks - (within.Seconds * TimeSpan.TicksPerSecond);
                var bound = (ticks / TimeSpan.TicksPerSecond) + (ticks % TimeSpan.TicksPerSecond > 0 ? 1 : 0);
                sql.Append(within.Older ? "m.internal_date < " : "m.internal_date >= ").Append(Num(bound));
                return Translation.Exact;
            }
            case HeaderKey or BodyKey or TextKey when context is not null:
                return AppendText(sql, key, context);
            case NotKey not:
            {
                sql.Append("NOT (");
                var inner = Append(sql, not.Key, depth + 1, context);
                if (inner != Translation.Exact) return Translation.Failed; // NOT of a superset is no superset
                sql.Append(')');
                return Translation.Exact;
            }
            case OrKey or:
            {
                sql.Append("((");
                var left = Append(sql, or.Left, depth + 1, context);
                if (left == Translation.Failed) return left;
                sql.Append(") OR (");
                var right = Append(sql, or.Right, depth + 1, context);
                if (right == Translation.Failed) return right;
                sql.Append("))");
                return left == Translation.Exact && right == Translation.Exact ? Translation.Exact : Translation.Superset;
            }
            case AndKey and:
                if (and.Keys.Count == 0)
                {
                    sql.Append('1');
                    return Translation.Exact;
                }
                return AppendAnd(sql, and.Keys, 0, and.Keys.Count, depth + 1, context);
            default:
                return Translation.Failed;
        }
    }

    /// <summary>Keys [<paramref name="start"/>, <paramref name="end"/>) joined by AND as a balanced tree: SQLite
    /// parses <c>a AND b AND c …</c> into a chain as deep as the list is long and refuses more than 1,000 levels
    /// ("Expression tree is too large"), and a search line of 64 KiB holds thousands of keys side by side; halves
    /// keep the depth at log2 of the count.</summary>
    private static Translation AppendAnd(StringBuilder sql, IReadOnlyList<SearchKey> keys, int start, int end, int depth, IndexContext? context)
    {
        if (end - start == 1)
        {
            sql.Append('(');
            var single = Append(sql, keys[start], depth, context);
            sql.Append(')');
            return single;
        }
        var middle = start + ((end - start) / 2);
        sql.Append('(');
        var left = AppendAnd(sql, keys, start, middle, depth, context);
        if (left == Translation.Failed) return left;
        sql.Append(" AND ");
        var right = AppendAnd(sql, keys, middle, end, depth, context);
        if (right == Translation.Failed) return right;
        sql.Append(')');
        return left == Translation.Exact && right == Translation.Exact ? Translation.Exact : Translation.Superset;
    }

    private static bool AppendUids(StringBuilder sql, IReadOnlyList<uint> uids)
    {
        if (uids.Count == 0)
        {
            sql.Append('0');
            return true;
        }
        var runs = UidRuns.Build(uids);
        if (runs.Count == 1 && uids.Count != runs[0].High - runs[0].Low + 1) return false; // too sparse to inline
        AppendRuns(sql, runs, 0, runs.Count);
        return true;
    }

    /// <summary>Runs [<paramref name="start"/>, <paramref name="end"/>) as a balanced OR tree (a sequence set may
    /// have 10,000 ranges; SQLite refuses expression chains deeper than 1,000, see <see cref="AppendAnd"/>).</summary>
    private static void AppendRuns(StringBuilder sql, List<(uint Low, uint High)> runs, int start, int end)
    {
        if (end - start == 1)
        {
            sql.Append("m.uid BETWEEN ").Append(Num(runs[start].Low)).Append(" AND ").Append(Num(runs[start].High));
            return;
        }
        var middle = start + ((end - start) / 2);
        sql.Append('(');
        AppendRuns(sql, runs, start, middle);
        sql.Append(" OR ");
        AppendRuns(sql, runs, middle, end);
        sql.Append(')');
    }

    /// <summary>HEADER/FROM/…/BODY/TEXT through the index. A non-empty needle without characters the stored text
    /// cannot hold is exact: the FTS5 trigram index gives the candidate blobs (those holding every distinct trigram
    /// of the needle, <see cref="TrigramQuery"/>; the index keeps no positions, so this is a superset) and
    /// <c>lb_contains</c> (<see cref="ContainsFunction"/>, <c>instr</c>'s answer) over each candidate's stored column
    /// text decides, so a needle never matches across pieces or columns. Needles of 1–2 code points (no trigram) are
    /// checked over every stored row. HEADER of another
    /// field narrows by the whole header text and is checked afterwards; empty needles are left to the evaluator.</summary>
    private static Translation AppendText(StringBuilder sql, SearchKey key, IndexContext context)
    {
        var (field, value) = key switch
        {
            HeaderKey h => (SearchDocument.Fold(h.Field), h.Value),
            BodyKey b => ((string?)null, b.Value),
            _ => (null, ((TextKey)key).Value),
        };
        var needle = SearchDocument.Fold(value);
        if (needle.Length == 0 || !SearchTextColumns.IsStorable(needle)) return Translation.Failed;
        string table;
        string columns;
        var exact = true;
        if (key is HeaderKey)
        {
            if (FieldColumn(field!) is { } column)
            {
                (table, columns) = ("search_fields", column);
            }
            else
            {
                (table, columns, exact) = ("search_texts", "headers", false);
            }
        }
        else
        {
            (table, columns) = ("search_texts", key is BodyKey ? "body" : "headers body");
        }
        var name = "$t" + context.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        context.Parameters.Add(needle);
        sql.Append("m.blob_id IN (SELECT t.blob_id FROM ");
        // search_fields keeps columns (detail=column): FROM only gets rows with the trigrams in from_.
        if (TrigramQuery(needle, table == "search_fields" ? columns : null) is { } match)
        {
            var matchName = "$t" + context.Parameters.Count.ToString(CultureInfo.InvariantCulture);
            context.Parameters.Add(match);
            sql.Append(table).Append(" CROSS JOIN search_text t ON t.id = ").Append(table).Append(".rowid WHERE ")
                .Append(table).Append(" MATCH ").Append(matchName).Append(" AND (");
        }
        else
        {
            sql.Append("search_text t WHERE (");
        }
        // The needle in one of the columns' stored text: the match for FROM…BODY/TEXT; for HEADER of another
        // field a superset (the field is somewhere in `headers`), which the evaluator then checks.
        var first = true;
        foreach (var column in columns.Split(' '))
        {
            sql.Append(first ? "" : " OR ").Append(ContainsFunction.Name).Append("(t.").Append(column).Append(", ").Append(name).Append(')');
            first = false;
        }
        sql.Append("))");
        return exact ? Translation.Exact : Translation.Superset;
    }

    /// <summary>Most trigrams a needle's candidate query ANDs (see <see cref="TrigramQuery"/>).</summary>
    internal const int MaxTrigrams = 24;

    /// <summary>The FTS5 query for the candidates of <paramref name="needle"/> (folded, storable):
    /// <c>"ABC" AND "BCD" …</c>, each distinct trigram of code points once (at most <see cref="MaxTrigrams"/>, evenly
    /// spaced, for a long needle), quoted (<c>"</c> doubled) so that no
    /// FTS5 operator or column name can be read into it, under <c>{column} : (…)</c> when
    /// <paramref name="column"/> is given (a table with detail=column); null when the needle has fewer than 3 code
    /// points. The tables keep no positions, so the candidates are the rows holding every trigram somewhere (in
    /// that column): a superset of the matches.</summary>
    internal static string? TrigramQuery(string needle, string? column)
    {
        var starts = new List<int>(needle.Length);
        for (var i = 0; i < needle.Length; i += char.IsSurrogatePair(needle, i) ? 2 : 1) starts.Add(i);
        if (starts.Count < 3) return null;
        var query = new StringBuilder();
        if (column is not null) query.Append('{').Append(column).Append("} : (");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // A long needle (a literal may be 64 KiB) would AND tens of thousands of trigrams: seconds of FTS5 work and
        // gigabytes for one key. At most MaxTrigrams of them, spread over the needle, still give a superset, and
        // lb_contains decides.
        var trigrams = starts.Count - 2;
        var step = trigrams <= MaxTrigrams ? 1 : (trigrams + MaxTrigrams - 1) / MaxTrigrams;
        for (var i = 0; i + 2 < starts.Count; i += step)
        {
            var end = i + 3 < starts.Count ? starts[i + 3] : needle.Length;
            var trigram = needle[starts[i]..end];
            if (!seen.Add(trigram)) continue;
            if (seen.Count > 1) query.Append(" AND ");
            query.Append('"').Append(trigram.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        return (column is null ? query : query.Append(')')).ToString();
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}

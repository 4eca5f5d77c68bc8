using System.Globalization;
using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// Translates the part of a search that only reads message columns (flags, size, INTERNALDATE, UID, MODSEQ) into a
/// SQL <c>WHERE</c> expression over <c>messages</c>, so SELECT's first-unseen lookup or <c>SEARCH UNSEEN SINCE d</c>
/// on 100,000 messages is one table scan in SQLite instead of materialising every row. Keys that need text (header,
/// body, keywords, sent dates) or the clock (OLDER/YOUNGER) are not translated: the caller then falls back to
/// <see cref="SearchEvaluator"/>, which is the reference semantics (RFC 9051 §6.4.4); both must agree.
/// </summary>
internal static class SearchSql
{
    private static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>Returns the WHERE expression for <paramref name="key"/>, or null when some part cannot be translated.
    /// Only integers are inlined, never strings, so the text is safe to concatenate.</summary>
    public static string? TryTranslate(SearchKey key)
    {
        var sql = new StringBuilder();
        return Append(sql, key, 0) ? sql.ToString() : null;
    }

    private static bool Append(StringBuilder sql, SearchKey key, int depth)
    {
        if (depth > 64) return false;
        switch (key)
        {
            case AllKey:
                sql.Append('1');
                return true;
            case FlagKey flag:
                sql.Append("(flags & ").Append(Num((long)flag.Flag)).Append(flag.IsSet ? ") <> 0" : ") = 0");
                return true;
            case RecentKey recent:
                sql.Append(recent.IsRecent ? '0' : '1'); // no message is ever \Recent (see RecentKey)
                return true;
            case SizeKey size:
                sql.Append(size.Larger ? "size > " : "size < ").Append(Num(size.Size));
                return true;
            case ModSeqKey modSeq:
                if (modSeq.ModSeq > long.MaxValue) return false;
                sql.Append("modseq >= ").Append(Num((long)modSeq.ModSeq));
                return true;
            case DateKey { Field: DateField.Internal } date:
                // The INTERNALDATE's calendar day in its own offset, as a day number since 1970-01-01.
                sql.Append("((internal_date + internal_date_offset * 60) / 86400 - ((internal_date + internal_date_offset * 60) % 86400 < 0)) ")
                    .Append(date.Comparison switch { DateComparison.Before => "< ", DateComparison.On => "= ", _ => ">= " })
                    .Append(Num(date.Date.DayNumber - UnixEpochDay));
                return true;
            case UidSetKey uidSet:
                return AppendUids(sql, uidSet.Uids);
            case NotKey not:
                sql.Append("NOT (");
                if (!Append(sql, not.Key, depth + 1)) return false;
                sql.Append(')');
                return true;
            case OrKey or:
                sql.Append("((");
                if (!Append(sql, or.Left, depth + 1)) return false;
                sql.Append(") OR (");
                if (!Append(sql, or.Right, depth + 1)) return false;
                sql.Append("))");
                return true;
            case AndKey and:
                if (and.Keys.Count == 0)
                {
                    sql.Append('1');
                    return true;
                }
                sql.Append('(');
                for (var i = 0; i < and.Keys.Count; i++)
                {
                    if (i > 0) sql.Append(") AND (");
                    if (!Append(sql, and.Keys[i], depth + 1)) return false;
                }
                sql.Append(')');
                return true;
            default:
                return false;
        }
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
        sql.Append('(');
        for (var i = 0; i < runs.Count; i++)
        {
            if (i > 0) sql.Append(" OR ");
            sql.Append("uid BETWEEN ").Append(Num(runs[i].Low)).Append(" AND ").Append(Num(runs[i].High));
        }
        sql.Append(')');
        return true;
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}

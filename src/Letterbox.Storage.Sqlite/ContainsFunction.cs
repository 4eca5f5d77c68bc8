using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// The SQL function <c>lb_contains(haystack, needle)</c>: 1 when the UTF-8 bytes of <c>needle</c> occur in those of
/// <c>haystack</c>, 0 otherwise or when <c>haystack</c> is NULL. It replaces <c>instr(haystack, needle) &gt; 0</c>
/// in the full-text check (<see cref="SearchSql"/>): the same answer — UTF-8 is self-synchronising, so a byte match of
/// a whole, valid UTF-8 needle always starts and ends on code point boundaries — but the text is read in place
/// (<c>sqlite3_value_blob</c> on a TEXT value returns its bytes without a copy) and searched with the vectorised
/// <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> instead of SQLite's byte-by-byte
/// <c>memcmp</c> loop; on 23,000 candidate rows of 2.5 KB (SEARCH TEXT on 100,000 messages) this is most of the
/// query's CPU.
/// </summary>
internal static class ContainsFunction
{
    /// <summary>The function's SQL name.</summary>
    public const string Name = "lb_contains";

    private static readonly delegate_function_scalar Implementation = Invoke;

    /// <summary>Registers the function on <paramref name="connection"/> (open); registering again replaces it.
    /// Throws <see cref="SqliteException"/> when SQLite refuses.</summary>
    public static void Register(SqliteConnection connection)
    {
        var rc = raw.sqlite3_create_function(connection.Handle, Name, 2, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null, Implementation);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    private static void Invoke(sqlite3_context context, object userData, sqlite3_value[] args)
    {
        if (raw.sqlite3_value_type(args[0]) == raw.SQLITE_NULL || raw.sqlite3_value_type(args[1]) == raw.SQLITE_NULL)
        {
            raw.sqlite3_result_int(context, 0);
            return;
        }
        var haystack = raw.sqlite3_value_blob(args[0]);
        var needle = raw.sqlite3_value_blob(args[1]);
        raw.sqlite3_result_int(context, haystack.IndexOf(needle) >= 0 ? 1 : 0);
    }
}

using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// Reads the rows of a UID list: runs the command — which must select <c>uid</c> as column 0,
/// filter <c>uid BETWEEN $low AND $high</c> and order by uid — once per range of <see cref="UidRuns"/>, and hands
/// each row whose UID is wanted to the callback, in UID order. Sparse lists read only their rows; dense ones one
/// index walk.
/// </summary>
internal static class WantedRows
{
    /// <summary>Reads the rows; <paramref name="wanted"/> is ascending, distinct and non-empty.</summary>
    public static async Task ReadAsync(SqliteCommand command, IReadOnlyList<uint> wanted, Action<SqliteDataReader, uint> onRow, CancellationToken cancellationToken)
    {
        var low = command.Parameters.AddWithValue("$low", 0L);
        var high = command.Parameters.AddWithValue("$high", 0L);
        var next = 0;
        foreach (var run in UidRuns.Build(wanted))
        {
            low.Value = (long)run.Low;
            high.Value = (long)run.High;
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (reader.Read())
            {
                var uid = (uint)reader.GetInt64(0);
                while (next < wanted.Count && wanted[next] < uid)
                {
                    next++;
                }
                if (next == wanted.Count)
                {
                    return;
                }
                if (wanted[next] == uid)
                {
                    onRow(reader, uid);
                }
            }
        }
    }
}

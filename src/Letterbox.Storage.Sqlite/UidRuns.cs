namespace Letterbox.Storage.Sqlite;

/// <summary>
/// Splits a sorted, distinct UID list into the ranges to query: one <c>uid BETWEEN low AND high</c> per run of
/// consecutive UIDs, so a sparse request (10 UIDs spread over 100,000) reads 10 rows, not the whole span; when
/// there are more than <see cref="MaxRuns"/> runs, one range over the whole span (a single index walk) is cheaper.
/// Rows read from a range must still be filtered against the wanted list.
/// </summary>
internal static class UidRuns
{
    /// <summary>Above this many runs, query the whole span once.</summary>
    public const int MaxRuns = 64;

    /// <summary>Returns the ranges for <paramref name="wanted"/> (ascending, distinct, non-empty), ascending.</summary>
    public static List<(uint Low, uint High)> Build(IReadOnlyList<uint> wanted)
    {
        var runs = new List<(uint Low, uint High)>();
        var low = wanted[0];
        var high = low;
        for (var i = 1; i < wanted.Count; i++)
        {
            var uid = wanted[i];
            if (uid == high + 1)
            {
                high = uid;
                continue;
            }
            runs.Add((low, high));
            if (runs.Count == MaxRuns)
            {
                return [(wanted[0], wanted[^1])];
            }
            low = high = uid;
        }
        runs.Add((low, high));
        return runs;
    }
}

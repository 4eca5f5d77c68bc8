using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Letterbox.Storage.Sqlite;

/// <summary>Per-connection setup every store connection gets once: the <see cref="ContainsFunction"/> SQL function
/// and <c>PRAGMA mmap_size</c> (<see cref="SqliteStoreOptions.MmapSize"/>). Pooled read connections keep their
/// native handle between opens, so the setup runs once per handle, not once per open.</summary>
internal static class ConnectionSetup
{
    private static readonly ConditionalWeakTable<sqlite3, object> Prepared = new();

    /// <summary>Sets up <paramref name="connection"/> (open) unless its handle already was. Throws
    /// <see cref="SqliteException"/> when SQLite refuses.</summary>
    public static void Prepare(SqliteConnection connection, long mmapSize)
    {
        var handle = connection.Handle!;
        if (Prepared.TryGetValue(handle, out _)) return;
        ContainsFunction.Register(connection);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA mmap_size=" + Math.Max(0, mmapSize).ToString(CultureInfo.InvariantCulture);
            pragma.ExecuteNonQuery();
        }
        Prepared.AddOrUpdate(handle, handle);
    }
}

using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary>Direct SQL on a store's <c>letterbox.db</c> (own unpooled connection), for tests that inspect or
/// rewind the schema underneath <see cref="SqliteMailStore"/>.</summary>
internal static class StoreDatabase
{
    /// <summary>Runs <paramref name="sql"/> (one or more statements) on the store in <paramref name="directory"/>.</summary>
    public static async Task ExecuteAsync(string directory, string sql)
    {
        await using var connection = Open(directory);
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The integer that <paramref name="sql"/> selects.</summary>
    public static async Task<long> ScalarAsync(string directory, string sql)
    {
        await using var connection = Open(directory);
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static SqliteConnection Open(string directory)
        => new($"Data Source={Path.Combine(directory, "letterbox.db")};Pooling=False");
}

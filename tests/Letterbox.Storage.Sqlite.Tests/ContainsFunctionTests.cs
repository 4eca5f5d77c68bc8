using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary><c>lb_contains</c> must answer exactly as <c>instr(haystack, needle) &gt; 0</c> did (the full-text
/// check of RFC 9051 §6.4.4 substring matching over the stored folded text), on every pair below.</summary>
public sealed class ContainsFunctionTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public ContainsFunctionTests()
    {
        _connection.Open();
        ConnectionSetup.Prepare(_connection, mmapSize: 0);
    }

    public void Dispose() => _connection.Dispose();

    public static TheoryData<string?, string> Pairs => new()
    {
        { "HELLO WORLD", "WORLD" },
        { "HELLO WORLD", "WORLDS" },
        { "HELLO WORLD", "" },
        { "", "" },
        { "", "A" },
        { null, "A" },
        { "ÉTÉ DANS LE JARDIN", "É DANS" },
        { "日本語テキスト", "語テ" },
        { "日本語テキスト", "本日" },
        { "A😀B", "😀" },
        { "A😀B", "😀C" },
        { "ABCABD", "ABD" },
        { "AAAAB", "AAAB" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void AnswersAsInstr(string? haystack, string needle)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {ContainsFunction.Name}($h, $n), coalesce(instr($h, $n) > 0, 0)";
        command.Parameters.AddWithValue("$h", (object?)haystack ?? DBNull.Value);
        command.Parameters.AddWithValue("$n", needle);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(haystack?.Contains(needle, StringComparison.Ordinal) ?? false, reader.GetInt64(0) == 1);
        Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
    }

    /// <summary>A pooled connection keeps its native handle between opens: the function is still there after the
    /// setup skipped it the second time.</summary>
    [Fact]
    public void SurvivesPooledReopen()
    {
        var path = Path.Combine(Path.GetTempPath(), "letterbox-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                using var connection = new SqliteConnection(connectionString);
                connection.Open();
                ConnectionSetup.Prepare(connection, mmapSize: 1 << 20);
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT {ContainsFunction.Name}('ABC', 'B')";
                Assert.Equal(1L, command.ExecuteScalar());
                command.CommandText = "PRAGMA mmap_size";
                Assert.Equal(1L << 20, command.ExecuteScalar());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}

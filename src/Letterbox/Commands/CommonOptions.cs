using System.CommandLine;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Commands;

/// <summary>Options every command takes, and opening the store they name.</summary>
internal static class CommonOptions
{
    /// <summary>The environment variable that sets the default data directory.</summary>
    public const string DataEnvironmentVariable = "LETTERBOX_DATA";

    /// <summary><c>--data DIR</c>: the data directory (default <c>$LETTERBOX_DATA</c>, else <c>./letterbox-data</c>).
    /// Recursive: valid after any subcommand.</summary>
    public static Option<string> Data { get; } = new("--data")
    {
        Description = $"Data directory (default: ${DataEnvironmentVariable} or ./letterbox-data)",
        HelpName = "DIR",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DataEnvironmentVariable) is { Length: > 0 } dir ? dir : "letterbox-data",
    };

    /// <summary>Opens (creating if needed) the SQLite store in the directory given by <see cref="Data"/>.</summary>
    public static Task<SqliteMailStore> OpenStoreAsync(ParseResult parseResult, CancellationToken cancellationToken, SqliteStoreOptions? options = null)
        => SqliteMailStore.OpenAsync(Path.GetFullPath(parseResult.GetValue(Data)!), options, cancellationToken);
}

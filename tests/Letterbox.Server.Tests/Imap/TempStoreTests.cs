using Letterbox.Mail.Users;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Server.Tests.Imap;

/// <summary>Base of tests that run a server over a fresh SQLite store in a temp directory with user "alice",
/// password "secret" (1,000 PBKDF2 iterations so logins are cheap); the directory is deleted afterwards.</summary>
public abstract class TempStoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-server-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The store, open between InitializeAsync and DisposeAsync.</summary>
    protected SqliteMailStore Store { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Store = await SqliteMailStore.OpenAsync(_directory);
        await Store.AddUserAsync("alice", PasswordHasher.Hash("secret", 1000));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, true);
        }
        catch (IOException)
        {
        }
    }
}

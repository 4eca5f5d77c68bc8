using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Letterbox.Mail.Users;
using Letterbox.Server.Imap;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server.Tests.Imap;

/// <summary>
/// A real <see cref="SqliteMailStore"/> in a temp directory with user "alice" (password "secret"), and an
/// <see cref="ImapConnection"/> running over in-memory pipes, driven like a client: send raw bytes, read lines,
/// run a tagged command and collect its transcript.
/// </summary>
internal sealed class ImapTestSession : IAsyncDisposable
{
    public const string UserName = "alice";
    public const string Password = "secret";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly string _directory;
    private readonly DuplexPipe _client;
    private readonly ImapServerOptions _options;
    private bool _ownsStore = true;

    private ImapTestSession(string directory, SqliteMailStore store, UserRecord user, ImapConnection connection, DuplexPipe client, Task run, ImapServerOptions options)
    {
        _options = options;
        _directory = directory;
        Store = store;
        User = user;
        Connection = connection;
        _client = client;
        Run = run;
    }

    public SqliteMailStore Store { get; }

    public UserRecord User { get; }

    public ImapConnection Connection { get; }

    /// <summary>Completes when the server side has closed the connection.</summary>
    public Task Run { get; }

    public static async Task<ImapTestSession> StartAsync(ImapServerOptions? options = null, bool readGreeting = true, Microsoft.Extensions.Logging.ILogger? logger = null, System.Net.EndPoint? remoteEndPoint = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "letterbox-server-tests", Guid.NewGuid().ToString("N"));
        var store = await SqliteMailStore.OpenAsync(directory);
        var user = await store.AddUserAsync(UserName, PasswordHasher.Hash(Password, 1000));
        var (server, client) = DuplexPipe.CreatePair();
        options ??= new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero };
        var connection = new ImapConnection(server, store, options, logger ?? NullLogger.Instance, remoteEndPoint);
        var run = Task.Run(() => connection.RunAsync(CancellationToken.None));
        var session = new ImapTestSession(directory, store, user, connection, client, run, options);
        if (readGreeting)
        {
            await session.ReadLineAsync();
        }
        return session;
    }

    /// <summary>Another connection to the same store with the same options (so shared state such as
    /// <see cref="ImapServerOptions.UserConnections"/> is shared); it does not own the store.</summary>
    public async Task<ImapTestSession> ConnectAnotherAsync()
    {
        var (server, client) = DuplexPipe.CreatePair();
        var connection = new ImapConnection(server, Store, _options, NullLogger.Instance);
        var run = Task.Run(() => connection.RunAsync(CancellationToken.None));
        var session = new ImapTestSession(_directory, Store, User, connection, client, run, _options) { _ownsStore = false };
        await session.ReadLineAsync();
        return session;
    }

    /// <summary>Sends raw text (include the CRLFs).</summary>
    public async Task SendAsync(string text)
    {
        await _client.Output.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Reads one response line, without CRLF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await _client.Input.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            var position = buffer.PositionOf((byte)'\n');
            if (position is not null)
            {
                var line = buffer.Slice(0, position.Value);
                var text = Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
                _client.Input.AdvanceTo(buffer.GetPosition(1, position.Value));
                return text;
            }
            _client.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return buffer.IsEmpty ? null : Encoding.UTF8.GetString(buffer.ToArray());
            }
        }
    }

    /// <summary>Reads lines up to and including the first starting with "<paramref name="tag"/> "; joined with CRLF.</summary>
    public async Task<string> ReadUntilTaggedAsync(string tag)
    {
        var builder = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new InvalidOperationException("Connection closed before tagged reply; got:\r\n" + builder);
            builder.Append(line).Append("\r\n");
            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return builder.ToString();
            }
        }
    }

    /// <summary>Sends "tag command CRLF" and returns the transcript through the tagged reply.</summary>
    public async Task<string> CommandAsync(string tag, string command)
    {
        await SendAsync(tag + " " + command + "\r\n");
        return await ReadUntilTaggedAsync(tag);
    }

    public async Task LoginAsync()
    {
        var reply = await CommandAsync("L0", $"LOGIN {UserName} {Password}");
        Assert.StartsWith("L0 OK", reply, StringComparison.Ordinal);
    }

    /// <summary>Waits until the server closed the connection (fails after the timeout).</summary>
    public async Task AssertClosedAsync()
    {
        await Run.WaitAsync(Timeout);
        Assert.Null(await ReadLineAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _client.Output.CompleteAsync();
        try
        {
            await Run.WaitAsync(Timeout);
        }
        finally
        {
            await _client.Input.CompleteAsync();
        }
        if (_ownsStore)
        {
            await Store.DisposeAsync();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Users;
using Letterbox.Server.Imap;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server.Tests.Selected;

/// <summary>A SQLite store in a temporary directory with one user, plus helpers to fill mailboxes and to open
/// logged-in in-memory IMAP connections.</summary>
internal sealed class SelectedHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly List<SelectedClient> _clients = [];

    private SelectedHarness(string directory, SqliteMailStore store, UserRecord user, MailboxInfo inbox)
    {
        _directory = directory;
        Store = store;
        User = user;
        Inbox = inbox;
    }

    public SqliteMailStore Store { get; }

    public UserRecord User { get; }

    public MailboxInfo Inbox { get; }

    /// <summary>Creates the store with user "alice" and <paramref name="messages"/> messages in INBOX (UIDs 1..n).</summary>
    public static async Task<SelectedHarness> CreateAsync(int messages)
    {
        var directory = Path.Combine(Path.GetTempPath(), "letterbox-selected-" + Guid.NewGuid().ToString("N"));
        var store = await SqliteMailStore.OpenAsync(directory);
        var user = await store.AddUserAsync("alice", "unused-hash");
        var inbox = (await store.GetMailboxAsync(user.Id, "INBOX"))!;
        var harness = new SelectedHarness(directory, store, user, inbox);
        await harness.AppendAsync(inbox.Id, messages);
        return harness;
    }

    /// <summary>Appends <paramref name="count"/> small messages; returns their UIDs.</summary>
    public async Task<IReadOnlyList<uint>> AppendAsync(long mailboxId, int count, MessageFlags flags = MessageFlags.None, string subject = "Hello")
    {
        if (count == 0)
        {
            return [];
        }
        var requests = new List<AppendRequest>();
        for (var i = 0; i < count; i++)
        {
            var stager = await Store.StageAsync(1 << 20);
            var text = $"From: bob@example.com\r\nTo: alice@example.com\r\nSubject: {subject} {i}\r\n\r\nBody {i}\r\n";
            await stager.WriteAsync(Encoding.ASCII.GetBytes(text));
            requests.Add(new AppendRequest(await stager.CompleteAsync(), flags, [], null));
        }
        var result = await Store.AppendAsync(mailboxId, requests);
        return result.Uids;
    }

    /// <summary>Appends the given messages (header lines joined by CRLF, no body needed); returns their UIDs.</summary>
    public async Task<IReadOnlyList<uint>> AppendRawAsync(long mailboxId, params string[] messages)
    {
        var requests = new List<AppendRequest>();
        foreach (var message in messages)
        {
            var stager = await Store.StageAsync(1 << 20);
            await stager.WriteAsync(Encoding.UTF8.GetBytes(message.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n\r\nBody\r\n"));
            requests.Add(new AppendRequest(await stager.CompleteAsync(), MessageFlags.None, [], null));
        }
        return (await Store.AppendAsync(mailboxId, requests)).Uids;
    }

    /// <summary>Sets flags on UIDs and expunges them (another session's work).</summary>
    public async Task ExpungeElsewhereAsync(long mailboxId, params uint[] uids)
    {
        await Store.StoreFlagsAsync(mailboxId, uids, FlagOperation.Add, MessageFlags.Deleted, []);
        await Store.ExpungeAsync(mailboxId, uids);
    }

    /// <summary>Opens a connection already logged in as the user, with the greeting consumed; default
    /// <paramref name="options"/>: no login failure delay.</summary>
    public async Task<SelectedClient> ConnectAsync(ImapServerOptions? options = null)
    {
        var (server, client) = DuplexPipe.CreatePair();
        var connection = new ImapConnection(server, Store, options ?? new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero }, NullLogger.Instance);
        connection.Session.Login(User);
        var run = connection.RunAsync(CancellationToken.None);
        var selectedClient = new SelectedClient(client, connection, run);
        _clients.Add(selectedClient);
        await selectedClient.ReadLineAsync();
        return selectedClient;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
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

/// <summary>The client end of an in-memory connection: sends tagged commands and collects the response lines.</summary>
internal sealed class SelectedClient : IAsyncDisposable
{
    private readonly DuplexPipe _pipe;
    private readonly Task _run;
    private int _tagCounter;

    public SelectedClient(DuplexPipe pipe, ImapConnection connection, Task run)
    {
        _pipe = pipe;
        Connection = connection;
        _run = run;
    }

    public ImapConnection Connection { get; }

    /// <summary>The tag of the last command sent.</summary>
    public string LastTag { get; private set; } = "";

    /// <summary>Sends <c>tag command</c> and returns every line up to and including the tagged reply (CRLF removed).</summary>
    public async Task<List<string>> SendAsync(string command)
    {
        LastTag = "a" + (++_tagCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _pipe.Output.WriteAsync(Encoding.UTF8.GetBytes(LastTag + " " + command + "\r\n"));
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            lines.Add(line);
            if (line.StartsWith(LastTag + " ", StringComparison.Ordinal))
            {
                return lines;
            }
        }
    }

    /// <summary>Sends a command and returns only the untagged lines, asserting the tagged reply starts with
    /// <paramref name="expectedStatus"/> (e.g. "OK").</summary>
    public async Task<List<string>> SendOkAsync(string command, string expectedStatus = "OK")
    {
        var lines = await SendAsync(command);
        var tagged = lines[^1];
        Assert.StartsWith(LastTag + " " + expectedStatus, tagged, StringComparison.Ordinal);
        lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await _pipe.Input.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            var position = buffer.PositionOf((byte)'\n');
            if (position is { } lf)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, lf).ToArray()).TrimEnd('\r');
                _pipe.Input.AdvanceTo(buffer.GetPosition(1, lf));
                return line;
            }
            _pipe.Input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new InvalidOperationException("Connection closed");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.Output.CompleteAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        await _pipe.Input.CompleteAsync();
    }
}

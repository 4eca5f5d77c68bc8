using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Parsing;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;
using Letterbox.Server.Imap;
using Letterbox.Server.Imap.Handlers;
using Letterbox.Server.Imap.Selected;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server.Tests.Fetch;

/// <summary>
/// A real <see cref="SqliteMailStore"/> in a temp directory, a logged-in session over in-memory pipes with INBOX
/// selected, and a way to run one FETCH through <see cref="FetchHandler"/> and read back exactly the bytes it wrote.
/// </summary>
internal sealed class FetchHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly DuplexPipe _client;

    private FetchHarness(string directory, SqliteMailStore store, MailboxInfo inbox, ImapConnection connection, DuplexPipe client)
    {
        _directory = directory;
        Store = store;
        Inbox = inbox;
        Connection = connection;
        _client = client;
    }

    public SqliteMailStore Store { get; }

    public MailboxInfo Inbox { get; }

    public ImapConnection Connection { get; }

    public ImapSession Session => Connection.Session;

    public SelectedMailboxView View => (SelectedMailboxView)Session.SelectedMailbox!;

    public List<uint> Uids { get; } = [];

    public static async Task<FetchHarness> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "letterbox-tests", Guid.NewGuid().ToString("N"));
        var store = await SqliteMailStore.OpenAsync(directory);
        var user = await store.AddUserAsync("fetch", "x");
        var inbox = (await store.GetMailboxAsync(user.Id, "INBOX"))!;
        // No back-pressure: the test reads the client side only after the handler returns.
        var (server, client) = DuplexPipe.CreatePair(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var connection = new ImapConnection(server, store, new ImapServerOptions(), NullLogger.Instance);
        connection.Session.Login(user);
        return new FetchHarness(directory, store, inbox, connection, client);
    }

    /// <summary>Appends a message (CRLF line ends) and returns its UID.</summary>
    public async Task<uint> AppendAsync(string raw, MessageFlags flags = MessageFlags.None, DateTimeOffset? internalDate = null, params string[] keywords)
    {
        await using var stager = await Store.StageAsync(10_000_000);
        await stager.WriteAsync(Encoding.UTF8.GetBytes(raw));
        var staged = await stager.CompleteAsync();
        var result = await Store.AppendAsync(Inbox.Id, [new AppendRequest(staged, flags, keywords, internalDate)]);
        Uids.Add(result.Uids[0]);
        return result.Uids[0];
    }

    /// <summary>SELECT (or EXAMINE when <paramref name="readOnly"/>) INBOX as it is now.</summary>
    public async Task SelectAsync(bool readOnly = false)
    {
        var view = await SelectedMailboxView.OpenAsync(Store, Inbox, readOnly, CancellationToken.None);
        await Session.SelectAsync(view);
    }

    /// <summary>Parses <paramref name="command"/> (without tag, e.g. <c>UID FETCH 1 FLAGS</c>) as the reader does.</summary>
    public static FetchCommand Parse(string command)
    {
        var reader = new ImapRequestReader(ImapLimits.Default);
        var outcome = reader.Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("a " + command + "\r\n")), out _);
        Assert.Equal(ReadStatus.Request, outcome.Status);
        return Assert.IsType<FetchCommand>(outcome.Request!.Command);
    }

    /// <summary>Runs the command through <see cref="FetchHandler"/>; returns its result and the bytes written
    /// (decoded as UTF-8).</summary>
    public async Task<(CommandResult Result, string Output)> RunAsync(string command)
    {
        var result = await FetchHandler.HandleAsync(Session, Parse(command), CancellationToken.None);
        return (result, await DrainAsync());
    }

    /// <summary>Runs the command through <see cref="FetchHandler"/>, leaving its output in the pipe.</summary>
    public ValueTask<CommandResult> HandleAsync(string command) =>
        FetchHandler.HandleAsync(Session, Parse(command), CancellationToken.None);

    /// <summary>Everything written to the client so far, removed from the pipe.</summary>
    public async Task<string> DrainAsync()
    {
        await ((PipeWriter)Session.Writer.Output).FlushAsync();
        if (!_client.Input.TryRead(out var read))
        {
            return "";
        }
        var text = Encoding.UTF8.GetString(read.Buffer.ToArray());
        _client.Input.AdvanceTo(read.Buffer.End);
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        await Session.UnselectAsync();
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

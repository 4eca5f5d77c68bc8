using Letterbox.Commands;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Users;
using Letterbox.Storage.Sqlite;

namespace Letterbox.EndToEnd.Tests.Import;

/// <summary>
/// The <c>letterbox import</c> code path, in process: <see cref="ImportCommand.ImportAsync"/> on the corpus mbox files
/// and a generated Maildir (flags, a Maildir++ subfolder, items that must be skipped), and
/// <see cref="ImportCommand.RunAsync"/> for its summary output and its errors.
/// </summary>
public sealed class ImportCommandTests : IAsyncLifetime
{
    private const string UserName = "import@example.com";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "letterbox-import-" + Guid.NewGuid().ToString("N"));
    private readonly string _sourceDirectory = Path.Combine(Path.GetTempPath(), "letterbox-import-src-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_sourceDirectory);
        await using var store = await SqliteMailStore.OpenAsync(_dataDirectory);
        await store.AddUserAsync(UserName, PasswordHasher.Hash("secret", 1000));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        Directory.Delete(_sourceDirectory, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("netscape-1990s.mbox", 29)]
    [InlineData("simple.mbox", 3)]
    public async Task Mbox_imports_every_message_into_the_target(string file, int expected)
    {
        // The count MimeKit's own mbox parser finds must agree with the fixed expectation.
        var prefix = "mbox/" + file + "#";
        Assert.Equal(expected, Corpus.Names.Count(n => n.StartsWith(prefix, StringComparison.Ordinal)));

        await using var store = await SqliteMailStore.OpenAsync(_dataDirectory);
        var user = (await store.FindUserAsync(UserName))!;
        var summary = await ImportCommand.ImportAsync(store, user, Path.Combine(Corpus.Root, "mbox", file), "Archive/Old", null, batchSize: 7, stagingConcurrency: 3, CancellationToken.None);

        Assert.Equal(expected, summary.Imported);
        Assert.Empty(summary.Skipped);
        var mailbox = await store.GetMailboxAsync(user.Id, "Archive/Old");
        Assert.NotNull(mailbox);
        Assert.NotNull(await store.GetMailboxAsync(user.Id, "Archive"));
        var status = await store.GetStatusAsync(mailbox.Id);
        Assert.Equal((uint)expected, status.Messages);
        var (uids, _) = await store.GetUidsAsync(mailbox.Id);
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (uint)i), uids);

        // The first message's bytes are MimeKit's split of the file (CRLF), except that MimeKit counts the line end
        // before the next "From " line as part of the separator, while the importer keeps it with the last line.
        await using var stored = (await store.OpenMessageAsync(mailbox.Id, uids[0]))!;
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        var expectedBytes = Corpus.Load(prefix + "0");
        var actual = copy.ToArray();
        if (actual.Length == expectedBytes.Length + 2)
        {
            Assert.Equal("\r\n"u8.ToArray(), actual[^2..]);
            actual = actual[..^2];
        }
        Assert.Equal(expectedBytes, actual);
    }

    [Fact]
    public async Task Maildir_imports_flags_subfolders_and_reports_skips()
    {
        var root = Path.Combine(_sourceDirectory, "Maildir");
        WriteMessage(root, "cur", "1000.a.host:2,S", "seen");
        WriteMessage(root, "cur", "1001.b.host:2,FR", "flagged and answered");
        WriteMessage(root, "new", "1002.c.host", "new, no flags");
        WriteMessage(Path.Combine(root, ".Lists.Letterbox"), "cur", "1003.d.host:2,DT", "draft, deleted");
        File.WriteAllBytes(Path.Combine(root, "cur", "1004.e.host:2,S"), []);
        File.WriteAllText(Path.Combine(root, "cur", "1005.f.host:2,"), "\u0001\u0002 this is not a message\n");

        await using var store = await SqliteMailStore.OpenAsync(_dataDirectory);
        var user = (await store.FindUserAsync(UserName))!;
        var summary = await ImportCommand.ImportAsync(store, user, root, MailboxName.Inbox, null, ImportBatchAppender.DefaultBatchSize, ImportBatchAppender.DefaultStagingConcurrency, CancellationToken.None);

        Assert.Equal(4, summary.Imported);
        Assert.Equal(2, summary.Skipped.Count);
        Assert.Contains(summary.Skipped, s => s.Source.EndsWith("1004.e.host:2,S", StringComparison.Ordinal) && s.Reason.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(summary.Skipped, s => s.Source.EndsWith("1005.f.host:2,", StringComparison.Ordinal) && s.Reason.Contains("not a message", StringComparison.Ordinal));

        var inbox = (await store.GetMailboxAsync(user.Id, MailboxName.Inbox))!;
        var inboxFlags = await FlagsBySubjectAsync(store, inbox.Id);
        Assert.Equal(3, inboxFlags.Count);
        Assert.Equal(MessageFlags.Seen, inboxFlags["seen"]);
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Answered, inboxFlags["flagged and answered"]);
        Assert.Equal(MessageFlags.None, inboxFlags["new, no flags"]);

        Assert.NotNull(await store.GetMailboxAsync(user.Id, "INBOX/Lists"));
        var sub = await store.GetMailboxAsync(user.Id, "INBOX/Lists/Letterbox");
        Assert.NotNull(sub);
        var subFlags = await FlagsBySubjectAsync(store, sub.Id);
        Assert.Single(subFlags);
        Assert.Equal(MessageFlags.Draft | MessageFlags.Deleted, subFlags["draft, deleted"]);
    }

    [Fact]
    public async Task Run_prints_the_summary_with_each_skip()
    {
        var eml = Path.Combine(_sourceDirectory, "eml");
        Directory.CreateDirectory(eml);
        File.WriteAllText(Path.Combine(eml, "a.eml"), "Subject: one\r\n\r\nbody\r\n");
        File.WriteAllText(Path.Combine(eml, "b.eml"), "Subject: two\n\nbody\n");
        File.WriteAllText(Path.Combine(eml, "c.eml"), "   \r\n");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ImportCommand.RunAsync(UserName, eml, "inbox/From eml", _dataDirectory, output, error, showProgress: false, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Imported 2 messages, skipped 1", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l == "INBOX/From eml: 2");
        Assert.Contains(lines, l => l.StartsWith("skipped " + Path.Combine(eml, "c.eml") + ": ", StringComparison.Ordinal));
        await using var store = await SqliteMailStore.OpenAsync(_dataDirectory);
        var user = (await store.FindUserAsync(UserName))!;
        var mailbox = (await store.GetMailboxAsync(user.Id, "INBOX/From eml"))!;
        Assert.Equal(2u, (await store.GetStatusAsync(mailbox.Id)).Messages);
    }

    [Fact]
    public async Task Run_fails_with_exit_code_1_for_an_unknown_user()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ImportCommand.RunAsync("nobody@example.com", Path.Combine(Corpus.Root, "mbox", "simple.mbox"), "INBOX", _dataDirectory, output, error, showProgress: false, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("no user 'nobody@example.com'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("letterbox user add", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task Run_fails_with_exit_code_1_for_a_missing_path_or_data_directory()
    {
        var error = new StringWriter();
        Assert.Equal(1, await ImportCommand.RunAsync(UserName, Path.Combine(_sourceDirectory, "missing.mbox"), "INBOX", _dataDirectory, TextWriter.Null, error, false, CancellationToken.None));
        Assert.Contains("does not exist", error.ToString(), StringComparison.Ordinal);

        var missingData = Path.Combine(_sourceDirectory, "no-data");
        error = new StringWriter();
        Assert.Equal(1, await ImportCommand.RunAsync(UserName, Path.Combine(Corpus.Root, "mbox", "simple.mbox"), "INBOX", missingData, TextWriter.Null, error, false, CancellationToken.None));
        Assert.Contains("no Letterbox data", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(missingData));
    }

    private static void WriteMessage(string maildir, string subdirectory, string fileName, string subject)
    {
        foreach (var part in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, part));
        }
        File.WriteAllText(Path.Combine(maildir, subdirectory, fileName),
            $"From: a@example.com\nTo: b@example.com\nSubject: {subject}\nMessage-ID: <{fileName}@example.com>\n\nbody of {subject}\n");
    }

    /// <summary>Flags of every message in a mailbox, keyed by the Subject read back from the stored bytes.</summary>
    private static async Task<Dictionary<string, MessageFlags>> FlagsBySubjectAsync(SqliteMailStore store, long mailboxId)
    {
        var (uids, _) = await store.GetUidsAsync(mailboxId);
        var states = await store.GetFlagsAsync(mailboxId, uids);
        var result = new Dictionary<string, MessageFlags>(StringComparer.Ordinal);
        foreach (var state in states)
        {
            await using var stream = (await store.OpenMessageAsync(mailboxId, state.Uid))!;
            var message = await MimeKit.MimeMessage.LoadAsync(stream);
            result.Add(message.Subject ?? "", state.Flags);
        }
        return result;
    }
}

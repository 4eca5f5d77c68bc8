using System.Globalization;
using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// A real sync client, <c>mbsync</c> (isync; installed by .ci/run), two-way between the server and a local Maildir:
/// <c>Sync All</c>, <c>Create Both</c>, <c>Expunge Both</c>. The test fails (never skips) when mbsync is missing.
/// </summary>
public sealed class MbsyncProcessTests
{
    /// <summary>
    /// First sync fills the empty Maildir; then both sides change (a new local message, a new server message, a flag
    /// set on the server, a message deleted on each side) and a second sync must leave both sides identical
    /// (messages by Message-ID, flags) having downloaded only the one new server message: counted on the server, at
    /// the store call that reads message bytes.
    /// </summary>
    [Fact]
    public async Task Two_way_sync_twice_ends_identical_and_downloads_only_new_mail()
    {
        var root = Path.Combine(Path.GetTempPath(), "letterbox-mbsync-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        BodyReadCounter? counter = null;
        await using var server = await TestServer.StartAsync(wrapStore: inner => BodyReadCounter.Wrap(inner, out counter));
        try
        {
            var (name, password) = await server.AddUserAsync("mbsync");
            var user = (await server.Store.FindUserAsync(name))!;
            var inbox = (await server.Store.GetMailboxAsync(user.Id, "INBOX"))!;
            var archive = (await server.Store.GetMailboxAsync(user.Id, "Archive"))!;
            await AppendAsync(server.Store, inbox.Id, "m1", MessageFlags.None);
            await AppendAsync(server.Store, inbox.Id, "m2", MessageFlags.Seen);
            await AppendAsync(server.Store, inbox.Id, "m3", MessageFlags.Answered | MessageFlags.Seen);
            await AppendAsync(server.Store, archive.Id, "m4", MessageFlags.Flagged);
            var config = WriteConfig(root, server.Port, name, password);
            var maildir = Path.Combine(root, "mail");

            await RunMbsyncAsync(config);

            var expected1 = new Dictionary<string, string>
            {
                ["INBOX m1"] = "", ["INBOX m2"] = "S", ["INBOX m3"] = "RS", ["Archive m4"] = "F",
            };
            Assert.Equal(Sorted(expected1), Sorted(await ServerStateAsync(server.Store, user.Id)));
            Assert.Equal(Sorted(expected1), Sorted(LocalState(maildir)));
            Assert.Equal(4, counter!.Reads.Count);

            // Changes on both sides.
            File.WriteAllBytes(Path.Combine(maildir, "INBOX", "new", "1700000000.local5.host"), Message("m5"));
            File.Delete(LocalFile(maildir, "Archive", "m4"));
            var uids = (await server.Store.GetUidsAsync(inbox.Id)).Uids;
            await server.Store.StoreFlagsAsync(inbox.Id, [uids[0]], FlagOperation.Add, MessageFlags.Flagged, []);
            await server.Store.StoreFlagsAsync(inbox.Id, [uids[2]], FlagOperation.Add, MessageFlags.Deleted, []);
            await server.Store.ExpungeAsync(inbox.Id, [uids[2]]);
            var m6 = await AppendAsync(server.Store, inbox.Id, "m6", MessageFlags.None);
            counter.Reset();

            await RunMbsyncAsync(config);

            var expected2 = new Dictionary<string, string>
            {
                ["INBOX m1"] = "F", ["INBOX m2"] = "S", ["INBOX m5"] = "", ["INBOX m6"] = "",
            };
            Assert.Equal(Sorted(expected2), Sorted(await ServerStateAsync(server.Store, user.Id)));
            Assert.Equal(Sorted(expected2), Sorted(LocalState(maildir)));
            // The second sync read exactly one message body from the store: the new server message.
            Assert.Equal([(inbox.Id, m6)], counter.Reads);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Sorted(Dictionary<string, string> state)
    {
        var lines = new List<string>();
        foreach (var (key, flags) in state)
        {
            lines.Add(key + " " + flags);
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    private static byte[] Message(string id) => Encoding.ASCII.GetBytes(
        $"From: bob@example.org\r\nTo: alice@example.com\r\nSubject: message {id}\r\nDate: Tue, 5 Mar 2024 10:00:00 +0000\r\n" +
        $"Message-ID: <{id}@letterbox.test>\r\n\r\nBody of {id}.\r\n");

    private static async Task<uint> AppendAsync(IMailStore store, long mailboxId, string id, MessageFlags flags)
    {
        var stager = await store.StageAsync(1 << 20);
        await stager.WriteAsync(Message(id));
        var result = await store.AppendAsync(mailboxId, [new AppendRequest(await stager.CompleteAsync(), flags, [], null)]);
        return result.Uids[0];
    }

    /// <summary>"mailbox id" → Maildir flag letters (D F R S T, sorted) for every message on the server.</summary>
    private static async Task<Dictionary<string, string>> ServerStateAsync(IMailStore store, long userId)
    {
        var state = new Dictionary<string, string>();
        foreach (var mailbox in await store.ListMailboxesAsync(userId))
        {
            var uids = (await store.GetUidsAsync(mailbox.Id)).Uids;
            foreach (var flags in await store.GetFlagsAsync(mailbox.Id, uids))
            {
                await using var stream = (await store.OpenMessageAsync(mailbox.Id, flags.Uid))!;
                using var reader = new StreamReader(stream, Encoding.ASCII);
                state.Add(mailbox.Name + " " + MessageId(reader), Letters(flags.Flags));
            }
        }
        return state;
    }

    /// <summary>The same for the Maildir: every file in cur/ and new/ of every folder, flags from ":2,FLAGS".</summary>
    private static Dictionary<string, string> LocalState(string maildir)
    {
        var state = new Dictionary<string, string>();
        foreach (var folder in Directory.GetDirectories(maildir))
        {
            foreach (var sub in new[] { "cur", "new" })
            {
                var dir = Path.Combine(folder, sub);
                if (!Directory.Exists(dir))
                {
                    continue;
                }
                foreach (var file in Directory.GetFiles(dir))
                {
                    using var reader = new StreamReader(file, Encoding.ASCII);
                    var fileName = Path.GetFileName(file);
                    var info = fileName.IndexOf(":2,", StringComparison.Ordinal);
                    state.Add(Path.GetFileName(folder) + " " + MessageId(reader), info < 0 ? "" : fileName[(info + 3)..]);
                }
            }
        }
        return state;
    }

    private static string LocalFile(string maildir, string folder, string id)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(maildir, folder), "*", SearchOption.AllDirectories))
        {
            using var reader = new StreamReader(file, Encoding.ASCII);
            if (MessageId(reader) == id)
            {
                return file;
            }
        }
        throw new InvalidOperationException($"{id} is not in {folder}");
    }

    /// <summary>The local part of the Message-ID header (<c>m1</c> for <c>&lt;m1@letterbox.test&gt;</c>).</summary>
    private static string MessageId(StreamReader reader)
    {
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            if (line.StartsWith("Message-ID: <", StringComparison.OrdinalIgnoreCase))
            {
                return line["Message-ID: <".Length..line.IndexOf('@', StringComparison.Ordinal)];
            }
        }
        return "(none)";
    }

    private static string Letters(MessageFlags flags)
    {
        var letters = new StringBuilder();
        if ((flags & MessageFlags.Draft) != 0) letters.Append('D');
        if ((flags & MessageFlags.Flagged) != 0) letters.Append('F');
        if ((flags & MessageFlags.Answered) != 0) letters.Append('R');
        if ((flags & MessageFlags.Seen) != 0) letters.Append('S');
        if ((flags & MessageFlags.Deleted) != 0) letters.Append('T');
        return letters.ToString();
    }

    /// <summary>An mbsyncrc (isync 1.4 syntax): the server on loopback without TLS (LOGIN is allowed from
    /// loopback), a Maildir store with verbatim sub-folders, the sync state in the test directory.</summary>
    private static string WriteConfig(string root, int port, string user, string password)
    {
        var config = Path.Combine(root, "mbsyncrc");
        var mail = Path.Combine(root, "mail") + "/";
        Directory.CreateDirectory(mail);
        Directory.CreateDirectory(Path.Combine(root, "state"));
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            IMAPAccount letterbox
            Host 127.0.0.1
            Port {port}
            User {user}
            Pass {password}
            SSLType None
            AuthMechs LOGIN

            IMAPStore remote
            Account letterbox

            MaildirStore local
            Path {mail}
            Inbox {mail}INBOX
            SubFolders Verbatim

            Channel letterbox
            Far :remote:
            Near :local:
            Patterns *
            Create Both
            Expunge Both
            SyncState {Path.Combine(root, "state")}/
            Sync All

            """));
        return config;
    }

    private static async Task RunMbsyncAsync(string config)
    {
        (int ExitCode, string Output) run;
        try
        {
            run = await CliProcess.RunAsync("mbsync", ["-c", config, "-V", "-a"]);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The mbsync command is needed by this test (apt-get install isync; .ci/run installs it).", e);
        }
        Assert.True(run.ExitCode == 0, $"mbsync failed ({run.ExitCode}):\n{run.Output}");
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Letterbox.Mail.Store;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Commands;

/// <summary><c>letterbox index rebuild [--user U] [--mailbox M]</c>: (re)builds the full-text search index
/// (docs/storage.md) for messages stored before it existed, or to repair it; safe while the server runs.</summary>
internal static class IndexCommand
{
    public static Command Create() => new("index", "Manage the full-text search index.")
    {
        CreateRebuild(),
    };

    private static Command CreateRebuild()
    {
        var user = new Option<string?>("--user") { Description = "Only this user's messages (default: every message of the store).", HelpName = "NAME" };
        var mailbox = new Option<string?>("--mailbox") { Description = "Only this mailbox of --user.", HelpName = "NAME" };
        var command = new Command("rebuild", "Re-read messages and rebuild their search text (SEARCH stays correct meanwhile: unindexed messages are parsed).") { user, mailbox };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var userName = parseResult.GetValue(user);
            var mailboxName = parseResult.GetValue(mailbox);
            if (mailboxName is not null && userName is null)
            {
                await Console.Error.WriteLineAsync("--mailbox needs --user.");
                return 2;
            }
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            var stopwatch = Stopwatch.StartNew();
            var lastPrint = TimeSpan.Zero;
            var progress = new InlineProgress(p =>
            {
                // One line every 2 s at most, and the last one.
                if (p.Done != p.Total && stopwatch.Elapsed - lastPrint < TimeSpan.FromSeconds(2)) return;
                lastPrint = stopwatch.Elapsed;
                var rate = p.Done / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"indexed {p.Done}/{p.Total} messages ({(p.Total == 0 ? 100 : p.Done * 100.0 / p.Total):0.0}%, {rate:0} msg/s, {p.Unindexable} searched by parsing)"));
            });
            try
            {
                var result = await store.RebuildSearchIndexAsync(userName, mailboxName, progress, cancellationToken: cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Rebuilt the search index of {result.Total} stored messages in {stopwatch.Elapsed.TotalSeconds:0.0} s."));
                return 0;
            }
            catch (MailStoreException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class InlineProgress(Action<SearchIndexProgress> report) : IProgress<SearchIndexProgress>
    {
        public void Report(SearchIndexProgress value) => report(value);
    }
}

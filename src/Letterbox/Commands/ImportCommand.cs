using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Letterbox.Mail.Import;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Store;
using Letterbox.Mail.Users;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Commands;

/// <summary>
/// <c>letterbox import USER PATH [--mailbox NAME] [--data DIR]</c>: imports an mbox file, a Maildir (Maildir++
/// folders become sub-mailboxes of the target, flags come from <c>:2,</c>) or a directory of <c>.eml</c> files into a
/// user's mailbox, creating missing mailboxes. Messages are staged one by one and appended in batches of
/// <see cref="ImportBatchAppender.DefaultBatchSize"/> per transaction.
/// </summary>
public static class ImportCommand
{
    /// <summary>Builds the <c>import</c> command (<c>--data</c> is the root's recursive <see cref="CommonOptions.Data"/>).</summary>
    public static Command Create()
    {
        var user = new Argument<string>("USER") { Description = "The user whose mailbox receives the messages (must exist: letterbox user add)." };
        var path = new Argument<string>("PATH") { Description = "An mbox file, a Maildir directory, or a directory of .eml files." };
        var mailbox = new Option<string>("--mailbox")
        {
            Description = "Target mailbox, created if missing; Maildir++ folders become its sub-mailboxes.",
            HelpName = "NAME",
            DefaultValueFactory = _ => MailboxName.Inbox,
        };
        var command = new Command("import", "Import messages from an mbox file, a Maildir or a directory of .eml files.")
        {
            user, path, mailbox,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(user)!,
            result.GetValue(path)!,
            result.GetValue(mailbox) ?? MailboxName.Inbox,
            result.GetValue(CommonOptions.Data)!,
            Console.Out,
            Console.Error,
            !Console.IsOutputRedirected,
            cancellationToken));
        return command;
    }

    /// <summary>
    /// Runs the command: checks the arguments, opens the store, imports, and prints
    /// <c>Imported N messages, skipped M</c> followed by each skipped item and its reason.
    /// </summary>
    /// <param name="userName">The user (case-insensitive).</param>
    /// <param name="path">mbox file, Maildir or directory of .eml files.</param>
    /// <param name="mailbox">Target mailbox name ('/' delimited; any case of INBOX).</param>
    /// <param name="dataDirectory">The store's data directory.</param>
    /// <param name="output">Where the summary goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="showProgress">Whether to keep a progress line updated with '\r' (a terminal).</param>
    /// <param name="cancellationToken">Stops the import; batches already appended stay.</param>
    /// <returns>0 on success (even with skipped items), 1 when nothing could be imported because of an error.</returns>
    public static async Task<int> RunAsync(string userName, string path, string mailbox, string dataDirectory, TextWriter output, TextWriter error, bool showProgress, CancellationToken cancellationToken)
    {
        var target = MailboxName.Canonicalize(mailbox);
        if (!MailboxName.IsValid(target, out var nameProblem))
        {
            await error.WriteLineAsync($"error: '{mailbox}' is not a valid mailbox name: {nameProblem}");
            return 1;
        }
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            await error.WriteLineAsync($"error: '{path}' does not exist. Give an mbox file, a Maildir directory, or a directory of .eml files.");
            return 1;
        }
        if (!File.Exists(Path.Combine(dataDirectory, "letterbox.db")))
        {
            await error.WriteLineAsync($"error: no Letterbox data in '{Path.GetFullPath(dataDirectory)}'. Create the user first: letterbox user add {userName} --data {dataDirectory}");
            return 1;
        }
        await using var store = await SqliteMailStore.OpenAsync(dataDirectory, cancellationToken: cancellationToken);
        var user = await store.FindUserAsync(userName, cancellationToken);
        if (user is null)
        {
            await error.WriteLineAsync($"error: no user '{userName}' in '{store.DataDirectory}'. Create it first: letterbox user add {userName}");
            return 1;
        }

        // Staging blocks a pool thread per message in fsync; let the pool run that many at once from the start.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, ImportBatchAppender.DefaultStagingConcurrency + Environment.ProcessorCount), completionPorts);
        var stopwatch = Stopwatch.StartNew();
        var lastShown = TimeSpan.Zero;
        Action<long>? progress = null;
        if (showProgress)
        {
            progress = count =>
            {
                if (stopwatch.Elapsed - lastShown >= TimeSpan.FromMilliseconds(250))
                {
                    lastShown = stopwatch.Elapsed;
                    output.Write(string.Create(CultureInfo.InvariantCulture,
                        $"\r{count} messages, {count / stopwatch.Elapsed.TotalSeconds:0} msg/s   "));
                }
            };
        }
        ImportSummary summary;
        try
        {
            summary = await ImportAsync(store, user, path, target, progress, ImportBatchAppender.DefaultBatchSize, ImportBatchAppender.DefaultStagingConcurrency, cancellationToken);
        }
        catch (MailStoreException e)
        {
            if (showProgress) await output.WriteLineAsync();
            await error.WriteLineAsync($"error: the import stopped: {e.Message}");
            return 1;
        }
        if (showProgress)
        {
            await output.WriteAsync("\r" + new string(' ', 40) + "\r");
        }
        var seconds = stopwatch.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Imported {summary.Imported} messages, skipped {summary.Skipped.Count} ({seconds:0.0} s, {(seconds > 0 ? summary.Imported / seconds : 0):0} msg/s)"));
        foreach (var (name, count) in summary.PerMailbox)
        {
            await output.WriteLineAsync($"  {name}: {count}");
        }
        foreach (var skip in summary.Skipped)
        {
            await output.WriteLineAsync($"  skipped {skip.Source}: {skip.Reason}");
        }
        return 0;
    }

    /// <summary>
    /// Imports every item <see cref="MessageSource.ReadAsync"/> finds at <paramref name="path"/> into
    /// <paramref name="target"/> (and its sub-mailboxes for Maildir++ folders), creating missing mailboxes and their
    /// parents. Items the reader cannot use, messages over the size limit and unreadable files are skipped and
    /// reported, never fatal. On cancellation or a store failure the batches already appended stay.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="user">The owner of the mailboxes.</param>
    /// <param name="path">mbox file, Maildir or directory of .eml files.</param>
    /// <param name="target">Canonical, valid target mailbox name.</param>
    /// <param name="progress">Called after each queued message with the count so far; may be null.</param>
    /// <param name="batchSize">Messages per append transaction.</param>
    /// <param name="stagingConcurrency">Messages staged at once per target mailbox.</param>
    /// <param name="cancellationToken">Stops the import.</param>
    public static async Task<ImportSummary> ImportAsync(IMailStore store, UserRecord user, string path, string target, Action<long>? progress, int batchSize, int stagingConcurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(user);
        var appenders = new Dictionary<string, ImportBatchAppender>(StringComparer.Ordinal);
        var order = new List<string>();
        var skipped = new List<ImportSkip>();
        long queued = 0;
        try
        {
            await foreach (var item in MessageSource.ReadAsync(path, cancellationToken))
            {
                if (item.IsSkipped || item.Open is null)
                {
                    skipped.Add(new ImportSkip(item.Source, item.SkipReason ?? "nothing to read"));
                    continue;
                }
                var name = item.MailboxName is null ? target : MailboxName.Canonicalize(target + MailboxName.Delimiter + item.MailboxName);
                if (!appenders.TryGetValue(name, out var appender))
                {
                    var mailbox = await EnsureMailboxAsync(store, user.Id, name, cancellationToken);
                    appender = new ImportBatchAppender(store, mailbox.Id, batchSize, stagingConcurrency);
                    appenders.Add(name, appender);
                    order.Add(name);
                }
                await appender.AddAsync(item.Open, item.Source, item.Flags, [], item.InternalDate, cancellationToken);
                queued++;
                progress?.Invoke(queued);
            }
            foreach (var name in order)
            {
                await appenders[name].FlushAsync(cancellationToken);
                skipped.AddRange(appenders[name].Skipped);
            }
        }
        finally
        {
            foreach (var appender in appenders.Values)
            {
                await appender.DisposeAsync();
            }
        }
        var perMailbox = new List<KeyValuePair<string, long>>(order.Count);
        long imported = 0;
        foreach (var name in order)
        {
            var count = appenders[name].Appended;
            perMailbox.Add(new KeyValuePair<string, long>(name, count));
            imported += count;
        }
        return new ImportSummary(imported, skipped, perMailbox);
    }

    /// <summary>The mailbox named <paramref name="name"/>, created (with any missing parent) if needed.</summary>
    private static async Task<MailboxInfo> EnsureMailboxAsync(IMailStore store, long userId, string name, CancellationToken cancellationToken)
    {
        var existing = await store.GetMailboxAsync(userId, name, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        var parent = MailboxName.Parent(name);
        if (parent is not null)
        {
            await EnsureMailboxAsync(store, userId, parent, cancellationToken);
        }
        try
        {
            return await store.CreateMailboxAsync(userId, name, cancellationToken: cancellationToken);
        }
        catch (MailStoreException e) when (e.Error == MailStoreError.AlreadyExists)
        {
            // Created meanwhile by a client connected to a running server.
            var created = await store.GetMailboxAsync(userId, name, cancellationToken);
            if (created is null)
            {
                throw;
            }
            return created;
        }
    }
}

/// <summary>What an import did.</summary>
/// <param name="Imported">Messages appended, over all mailboxes.</param>
/// <param name="Skipped">Items not imported, in the order met, each with its reason.</param>
/// <param name="PerMailbox">Messages appended per mailbox name, in the order the mailboxes were first met.</param>
public sealed record ImportSummary(long Imported, IReadOnlyList<ImportSkip> Skipped, IReadOnlyList<KeyValuePair<string, long>> PerMailbox);

/// <summary>One item an import skipped.</summary>
/// <param name="Source">File path, or "path:offset" inside an mbox.</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record ImportSkip(string Source, string Reason);

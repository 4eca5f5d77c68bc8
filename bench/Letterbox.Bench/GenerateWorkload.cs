using System.Diagnostics;
using System.Globalization;
using System.Text;
using Letterbox.Commands;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Users;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Bench;

/// <summary>
/// <c>generate</c>: fills a user's INBOX with <c>--messages</c> copies of the corpus messages (rotating through all
/// of them, each copy with a new Message-ID and Date) through the import path — <see cref="ImportBatchAppender"/>:
/// stage, then one append transaction per batch — and reports the rate.
/// </summary>
internal static class GenerateWorkload
{
    /// <summary>Iterations of the bench user's password hash: low on purpose, so that 1,000 LOGINs in the
    /// <c>imap</c> workload measure the server rather than PBKDF2 (600,000 iterations cost ~0.2 s each).</summary>
    public const int BenchPasswordIterations = 1000;

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.DataDirectory is null)
        {
            Console.Error.WriteLine("error: generate needs --data DIR.");
            return 2;
        }
        var corpusDirectory = Corpus.Locate(options.CorpusDirectory);
        var corpus = await Corpus.LoadAsync(corpusDirectory, cancellationToken);
        Console.WriteLine($"corpus: {corpus.Count} messages from {corpusDirectory}");

        await using var store = await SqliteMailStore.OpenAsync(options.DataDirectory, cancellationToken: cancellationToken);
        var user = await store.FindUserAsync(options.User, cancellationToken)
            ?? await store.AddUserAsync(options.User, PasswordHasher.Hash(options.Password, BenchPasswordIterations), cancellationToken);
        var inbox = await store.GetMailboxAsync(user.Id, MailboxName.Inbox, cancellationToken)
            ?? throw new InvalidOperationException($"User {user.Name} has no INBOX.");
        var before = await store.GetStatusAsync(inbox.Id, cancellationToken);
        if (before.Messages > 0)
        {
            Console.WriteLine($"note: INBOX of {user.Name} already holds {before.Messages} messages; adding {options.Messages} more.");
        }

        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, options.Concurrency + Environment.ProcessorCount), completionPorts);
        var baseDate = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stopwatch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long bytes = 0;
        TimeSpan appendTime, stagingTime;
        await using (var appender = new ImportBatchAppender(store, inbox.Id, options.BatchSize, options.Concurrency))
        {
            for (var i = 0; i < options.Messages; i++)
            {
                var body = corpus[i % corpus.Count];
                var date = baseDate.AddMinutes(i);
                var header = string.Create(CultureInfo.InvariantCulture,
                    $"Message-ID: <{i}.{Environment.TickCount64}@bench.letterbox.invalid>\r\nDate: {date:ddd, dd MMM yyyy HH:mm:ss} +0000\r\n");
                var message = new byte[Encoding.ASCII.GetByteCount(header) + body.Length];
                var written = Encoding.ASCII.GetBytes(header, message);
                body.CopyTo(message, written);
                bytes += message.Length;
                await appender.AddAsync(() => new MemoryStream(message, writable: false), "generated", MessageFlags.None, [], date, cancellationToken);
                if (stopwatch.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
                {
                    lastReport = stopwatch.Elapsed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {i + 1} messages queued, {appender.Appended} appended, {appender.Appended / stopwatch.Elapsed.TotalSeconds:0} msg/s"));
                }
            }
            await appender.FlushAsync(cancellationToken);
            if (appender.Skipped.Count > 0)
            {
                throw new InvalidOperationException($"{appender.Skipped.Count} generated messages could not be staged.");
            }
            appendTime = appender.AppendTime;
            stagingTime = appender.StagingTime;
        }
        stopwatch.Stop();
        var rate = options.Messages / stopwatch.Elapsed.TotalSeconds;
        using (var self = Process.GetCurrentProcess())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process CPU time: {self.TotalProcessorTime.TotalSeconds:0.0} s (user {self.UserProcessorTime.TotalSeconds:0.0} s, system {self.PrivilegedProcessorTime.TotalSeconds:0.0} s) in {stopwatch.Elapsed.TotalSeconds:0.0} s wall"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"time inside AppendAsync: {appendTime.TotalSeconds:0.0} s ({options.Messages / appendTime.TotalSeconds:0} msg/s if alone); staging: {stagingTime.TotalSeconds / options.Messages * 1000:0.00} ms per message, {options.Concurrency} at once"));
        var after = await store.GetStatusAsync(inbox.Id, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {options.Messages} messages ({bytes / 1048576.0:0.0} MiB) in {stopwatch.Elapsed.TotalSeconds:0.0} s; INBOX of {user.Name} now holds {after.Messages}"));
        Report.Add("import", rate, "msg/s", $"{options.Messages} msgs, batch {options.BatchSize}, {options.Concurrency} staged at once", Report.Target(">= 2000 msg/s", rate >= 2000));
        Report.PrintTable();
        return 0;
    }
}

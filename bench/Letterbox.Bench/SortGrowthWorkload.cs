using System.Diagnostics;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;
using Letterbox.Storage.Sqlite;

namespace Letterbox.Bench;

/// <summary>
/// <c>sortgrowth</c>: the in-memory cost of SORT and THREAD as a mailbox grows (issue 6: "cost growth from 10k to
/// 100k to 1M messages"). Reads the delivery-time keys of a store's INBOX once (e.g. a <c>generate</c>d 100k
/// mailbox), then for each scale (default 10,000, 100,000, 1,000,000) builds that many messages — the first N, or
/// whole copies of the mailbox with UIDs, dates, Message-IDs and references made distinct per copy, so each copy
/// threads like the original — and times building the mailbox's <see cref="SortSnapshot"/> (what
/// <see cref="MailboxSortCache"/> does once per mailbox), then on it <see cref="MessageSorter"/> (REVERSE DATE,
/// SUBJECT, FROM; the first run, which ranks the string key, is the warm-up) and the REFERENCES and ORDEREDSUBJECT
/// threaders over all messages: median of <c>--repeat</c> runs after one warm-up, in ms, with the growth
/// factor against the previous scale (10× more messages: ~10 is linear, ~12 is n log n, 100 would be quadratic).
/// Reading the keys from the store and writing the response are not included (see the <c>queries</c> workload).
/// </summary>
internal static class SortGrowthWorkload
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.DataDirectory is null)
        {
            Console.Error.WriteLine("error: sortgrowth needs --data DIR (a generated store).");
            return 2;
        }
        IReadOnlyList<SortableMessage> source;
        await using (var store = await SqliteMailStore.OpenAsync(options.DataDirectory, cancellationToken: cancellationToken))
        {
            var user = await store.FindUserAsync(options.User, cancellationToken)
                ?? throw new InvalidOperationException($"No user {options.User} in {options.DataDirectory}.");
            var inbox = await store.GetMailboxAsync(user.Id, MailboxName.Inbox, cancellationToken)
                ?? throw new InvalidOperationException($"User {user.Name} has no INBOX.");
            var (uids, _) = await store.GetUidsAsync(inbox.Id, cancellationToken);
            source = await store.GetSortKeysAsync(inbox.Id, uids, SortFields.All, cancellationToken);
        }
        if (source.Count == 0)
        {
            Console.Error.WriteLine("error: the INBOX is empty.");
            return 2;
        }
        Console.WriteLine($"keys of {source.Count} messages read from {options.DataDirectory}");
        List<SortableMessage>? current = null;
        var rows = new (string Name, Func<SortSnapshot, int[], object> Run)[]
        {
            ("snapshot (once per mailbox)", (_, all) => SortSnapshot.BuildAscending(current!)),
            ("sort (REVERSE DATE)", (s, all) => MessageSorter.Sort(s, all, [new SortCriterion(SortKey.Date, true)])),
            ("sort (SUBJECT)", (s, all) => MessageSorter.Sort(s, all, [new SortCriterion(SortKey.Subject, false)])),
            ("sort (FROM)", (s, all) => MessageSorter.Sort(s, all, [new SortCriterion(SortKey.From, false)])),
            ("thread REFERENCES", (s, all) => ReferencesThreader.Thread(s, all)),
            ("thread ORDEREDSUBJECT", (s, all) => OrderedSubjectThreader.Thread(s, all)),
        };
        var figures = new double[rows.Length, options.Scales.Count];
        var gen2s = new int[rows.Length, options.Scales.Count];
        for (var s = 0; s < options.Scales.Count; s++)
        {
            var messages = current = Scale(source, options.Scales[s]);
            var snapshot = SortSnapshot.BuildAscending(messages);
            var all = new int[messages.Count];
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }
            GC.Collect();
            for (var r = 0; r < rows.Length; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var gen2 = GC.CollectionCount(2);
                figures[r, s] = Median(rows[r].Run, snapshot, all, options.Repeat);
                gen2s[r, s] = GC.CollectionCount(2) - gen2;
                Console.WriteLine($"RESULT workload=sortgrowth-{Slug(rows[r].Name.Split(' ')[0] == "snapshot" ? "snapshot" : rows[r].Name)}-{messages.Count} letterbox={figures[r, s]:0.0} unit=ms gen2={gen2s[r, s]}");
            }
        }
        Console.WriteLine();
        Console.Write($"{"in-memory cost, ms (median)",-28}");
        foreach (var scale in options.Scales)
        {
            Console.Write($"{scale,12:N0}");
        }
        Console.WriteLine("   growth per 10x");
        for (var r = 0; r < rows.Length; r++)
        {
            Console.Write($"{rows[r].Name,-28}");
            for (var s = 0; s < options.Scales.Count; s++)
            {
                Console.Write($"{figures[r, s],12:0.0}");
            }
            for (var s = 1; s < options.Scales.Count; s++)
            {
                var factor = figures[r, s] / Math.Max(figures[r, s - 1], 0.01);
                var per10 = Math.Pow(factor, 1 / Math.Log10((double)options.Scales[s] / options.Scales[s - 1]));
                Console.Write($"   x{per10:0.0}");
            }
            Console.WriteLine();
        }
        return 0;
    }

    /// <summary>The first <paramref name="count"/> messages, or copies of all of them: copy k shifts UIDs by k×n and
    /// dates by k×(span+1) seconds, and suffixes every Message-ID and reference with <c>/k</c>.</summary>
    internal static List<SortableMessage> Scale(IReadOnlyList<SortableMessage> source, int count)
    {
        var n = source.Count;
        var result = new List<SortableMessage>(count);
        long first = long.MaxValue, last = long.MinValue;
        foreach (var message in source)
        {
            first = Math.Min(first, Math.Min(message.InternalDate, message.SentDate));
            last = Math.Max(last, Math.Max(message.InternalDate, message.SentDate));
        }
        var span = last - first + 1;
        for (var i = 0; i < count; i++)
        {
            var copy = i / n;
            var message = source[i % n];
            if (copy == 0)
            {
                result.Add(message);
                continue;
            }
            var keys = message.Keys;
            var references = new string[keys.References.Count];
            for (var r = 0; r < references.Length; r++)
            {
                references[r] = keys.References[r] + "/" + copy;
            }
            var shifted = keys with { MessageId = keys.MessageId is null ? null : keys.MessageId + "/" + copy, References = references };
            result.Add(new SortableMessage((uint)(copy * n + i % n + 1), message.InternalDate + copy * span,
                message.Size, message.SentDate + copy * span, shifted));
        }
        return result;
    }

    private static double Median(Func<SortSnapshot, int[], object> run, SortSnapshot snapshot, int[] all, int repeat)
    {
        run(snapshot, all);
        var times = new double[repeat];
        for (var i = 0; i < repeat; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            GC.KeepAlive(run(snapshot, all));
            times[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeat / 2];
    }

    private static string Slug(string name) =>
        name.Replace("(", "").Replace(")", "").Replace(' ', '-').ToLowerInvariant();
}

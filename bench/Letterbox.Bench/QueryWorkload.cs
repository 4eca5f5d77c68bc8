using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Letterbox.Bench;

/// <summary>One query of the query workload: a row name, the IMAP command (without tag) and an optional target
/// (median milliseconds it should stay under).</summary>
internal sealed record Query(string Name, string Command, double? TargetMs = null);

/// <summary>What one query gave on one server: the median of the timed runs (null when the server refused the
/// command), min/max, bytes and result count of the last run, and the server's refusal or the failure.</summary>
internal sealed record QueryOutcome(double? MedianMs, double MinMs, double MaxMs, long Bytes, long? Results, string? Error, bool TimedOut);

/// <summary>
/// The query workload shared by <c>imap</c> (one server) and <c>compare</c> (Letterbox against Dovecot): a list of
/// IMAP commands run against a SELECTed mailbox, each once to warm up and then <c>runs</c> times, reporting the
/// median. A command the server answers with NO or BAD (e.g. SORT before it is implemented) is reported with the
/// server's text, never a crash.
/// </summary>
internal static class QueryWorkload
{
    /// <summary>The default list (see bench/README.md): dates match the generated mailboxes (one message a minute
    /// from 2020-01-01, so 100,000 messages reach 2020-03-10); "netscape" is in the From of ~15% of the corpus.</summary>
    public static IReadOnlyList<Query> Defaults { get; } =
    [
        new("search-from", "SEARCH FROM \"netscape\"", 200),
        new("search-text", "SEARCH TEXT \"attachment\"", 200),
        new("search-since-unseen", "SEARCH SINCE 1-Mar-2020 UNSEEN", 200),
        new("sort-reverse-date", "SORT (REVERSE DATE) UTF-8 ALL"),
        new("sort-subject", "SORT (SUBJECT) UTF-8 ALL"),
        new("thread-references", "THREAD REFERENCES UTF-8 ALL"),
    ];

    /// <summary>Reads a query file: one IMAP command per line (without tag), optionally preceded by a row name
    /// ending in a colon (<c>search-from: SEARCH FROM "x"</c>); blank lines and lines starting with <c>#</c> are
    /// skipped. Unnamed commands are named after their text.</summary>
    /// <exception cref="ArgumentException">The file is missing or holds no command.</exception>
    public static IReadOnlyList<Query> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--queries: no such file '{path}'.");
        }
        var queries = new List<Query>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string? name = null;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 1 && line[space - 1] == ':')
            {
                name = line[..(space - 1)];
                line = line[(space + 1)..].Trim();
            }
            name = Unique(names, name ?? Slug(line));
            queries.Add(new Query(name, line));
        }
        if (queries.Count == 0)
        {
            throw new ArgumentException($"--queries: '{path}' holds no command.");
        }
        return queries;
    }

    /// <summary>A row name from a command: lower case, runs of other characters as one '-', at most 40 characters.</summary>
    public static string Slug(string command)
    {
        var slug = new StringBuilder(command.Length);
        foreach (var c in command)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "query" : text.Length <= 40 ? text : text[..40].TrimEnd('-');
    }

    private static string Unique(HashSet<string> names, string name)
    {
        var candidate = name;
        for (var i = 2; !names.Add(candidate); i++)
        {
            candidate = name + "-" + i.ToString(CultureInfo.InvariantCulture);
        }
        return candidate;
    }

    /// <summary>Runs <paramref name="command"/> once to warm up, then <paramref name="runs"/> times, on a client
    /// that has SELECTed the mailbox. NO/BAD and timeouts come back as <see cref="QueryOutcome.Error"/>; after a
    /// timeout the connection is out of step and must be replaced.</summary>
    public static async Task<QueryOutcome> MeasureAsync(RawImapClient client, string command, int runs, CancellationToken cancellationToken)
    {
        var samples = new List<double>(runs);
        long bytes = 0;
        long? results = null;
        try
        {
            for (var i = 0; i <= runs; i++)
            {
                long? count = null;
                var start = Stopwatch.GetTimestamp();
                (bytes, _) = await client.CommandAsync(command, line => count = CountResults(line) ?? count, cancellationToken);
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                results = count;
                if (i > 0)
                {
                    samples.Add(ms);
                }
            }
        }
        catch (InvalidOperationException e)
        {
            return new QueryOutcome(null, 0, 0, 0, null, e.Message, false);
        }
        catch (TimeoutException e)
        {
            return new QueryOutcome(null, 0, 0, 0, null, e.Message, true);
        }
        var (min, median, max) = Report.Summarize(samples);
        return new QueryOutcome(median, min, max, bytes, results, null, false);
    }

    /// <summary>Describes an outcome for a table note: result count and bytes, or the error.</summary>
    public static string Describe(QueryOutcome outcome, int runs) => outcome.Error is { } error
        ? error
        : string.Create(CultureInfo.InvariantCulture,
            $"{(outcome.Results is long n ? n.ToString(CultureInfo.InvariantCulture) : "?")} results, {outcome.Bytes} bytes; min {outcome.MinMs:0.0} / max {outcome.MaxMs:0.0} ms over {runs}");

    /// <summary>How many messages an untagged SEARCH, SORT, THREAD or ESEARCH line reports (numbers in the line;
    /// ESEARCH: its COUNT if given), or null for any other line.</summary>
    internal static long? CountResults(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> rest;
        if (line.StartsWith("* SEARCH"u8))
        {
            rest = line[8..];
        }
        else if (line.StartsWith("* SORT"u8))
        {
            rest = line[6..];
        }
        else if (line.StartsWith("* THREAD"u8))
        {
            rest = line[8..];
        }
        else if (line.StartsWith("* ESEARCH"u8))
        {
            var at = line.IndexOf(" COUNT "u8);
            if (at < 0)
            {
                return null;
            }
            long value = 0;
            for (var i = at + 7; i < line.Length && char.IsAsciiDigit((char)line[i]); i++)
            {
                value = (value * 10) + (line[i] - '0');
            }
            return value;
        }
        else
        {
            return null;
        }
        long numbers = 0;
        var inNumber = false;
        foreach (var b in rest)
        {
            var digit = b >= '0' && b <= '9';
            if (digit && !inNumber)
            {
                numbers++;
            }
            inNumber = digit;
        }
        return numbers;
    }
}

using System.Globalization;
using System.Net;

namespace Letterbox.Bench;

/// <summary>Command-line options of every workload (unknown options are an error).</summary>
internal sealed class BenchOptions
{
    public int Messages { get; private set; } = 100_000;
    public string? DataDirectory { get; private set; }
    public string User { get; private set; } = "bench@example.com";
    public string Password { get; private set; } = "bench";
    public int BatchSize { get; private set; } = Letterbox.Commands.ImportBatchAppender.DefaultBatchSize;
    public int Concurrency { get; private set; } = Letterbox.Commands.ImportBatchAppender.DefaultStagingConcurrency;
    public string? CorpusDirectory { get; private set; }
    public IPEndPoint? Server { get; private set; }
    public int Repeat { get; private set; } = 5;
    public int Connections { get; private set; } = 1000;
    public string? LetterboxPath { get; private set; }
    public TimeSpan TimeLimit { get; private set; } = TimeSpan.FromMinutes(30);

    /// <summary><c>sortgrowth</c>: mailbox sizes to time, ascending.</summary>
    public IReadOnlyList<int> Scales { get; private set; } = [10_000, 100_000, 1_000_000];

    /// <summary>Parts of <c>imap</c>: <c>commands</c> (SELECT, FETCH…), <c>queries</c> (<see cref="QueryWorkload"/>),
    /// <c>memory</c> (idle connections).</summary>
    public static readonly string[] ImapParts = ["commands", "queries", "memory"];

    public HashSet<string> Only { get; private set; } = new(ImapParts);

    /// <summary>The query workload's commands (<c>--queries FILE</c>; default <see cref="QueryWorkload.Defaults"/>).</summary>
    public IReadOnlyList<Query> Queries { get; private set; } = QueryWorkload.Defaults;

    public static BenchOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option '{name}' needs a value.");
            }
            var value = args[++i];
            switch (name)
            {
                case "--messages": options.Messages = Count(name, value, 1, 10_000_000); break;
                case "--data": options.DataDirectory = value; break;
                case "--user": options.User = value; break;
                case "--password": options.Password = value; break;
                case "--batch": options.BatchSize = Count(name, value, 1, 100_000); break;
                case "--concurrency": options.Concurrency = Count(name, value, 1, 256); break;
                case "--corpus": options.CorpusDirectory = value; break;
                case "--server": options.Server = Loopback(value); break;
                case "--repeat": options.Repeat = Count(name, value, 1, 1000); break;
                case "--connections": options.Connections = Count(name, value, 0, 10_000); break;
                case "--letterbox": options.LetterboxPath = value; break;
                case "--only": options.Only = Parts(value); break;
                case "--queries": options.Queries = QueryWorkload.Load(value); break;
                case "--scales": options.Scales = ScaleList(name, value); break;
                case "--time-limit-minutes": options.TimeLimit = TimeSpan.FromMinutes(Count(name, value, 1, 24 * 60)); break;
                default: throw new ArgumentException($"unknown option '{name}'.");
            }
        }
        return options;
    }

    private static int[] ScaleList(string name, string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scales = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            scales[i] = Count(name, parts[i], 1, 10_000_000);
        }
        if (scales.Length == 0)
        {
            throw new ArgumentException($"{name} needs at least one size.");
        }
        Array.Sort(scales);
        return scales;
    }

    private static HashSet<string> Parts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var part in parts)
        {
            if (Array.IndexOf(ImapParts, part) < 0)
            {
                throw new ArgumentException($"--only: unknown part '{part}' (use {string.Join(", ", ImapParts)}).");
            }
        }
        return new HashSet<string>(parts);
    }

    private static int Count(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
        }
        return n;
    }

    /// <summary>The benchmark only ever talks to the local machine.</summary>
    private static IPEndPoint Loopback(string value)
    {
        if (!IPEndPoint.TryParse(value, out var endPoint) || endPoint.Port == 0)
        {
            throw new ArgumentException($"--server must be ADDRESS:PORT, not '{value}'.");
        }
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new ArgumentException("--server must be a loopback address (127.0.0.1): the benchmark never leaves this machine.");
        }
        return endPoint;
    }
}

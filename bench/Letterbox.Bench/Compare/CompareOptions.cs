using System.Globalization;
using System.Net;

namespace Letterbox.Bench.Compare;

/// <summary>Options of <c>compare</c> (see bench/README.md). Sizes default to the full run; <c>--quick</c> shrinks
/// them, and explicit options given after it win.</summary>
internal sealed class CompareOptions
{
    public static readonly string[] AllWorkloads = ["mixed", "sync", "big", "queries", "append", "idle", "connections", "tls"];

    public HashSet<string> Only { get; private set; } = new(AllWorkloads);
    public int[] Clients { get; private set; } = [1, 10, 100];
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(15);
    public int Repeat { get; private set; } = 3;
    public int MixedUsers { get; private set; } = 10;
    public int MixedMessages { get; private set; } = 1000;
    public int SyncMessages { get; private set; } = 10_000;
    public int SyncChanges { get; private set; } = 100;
    public int BigMessages { get; private set; } = 100_000;
    public int[] AppendSizes { get; private set; } = [4 * 1024, 100 * 1024];
    public int[] AppendSessions { get; private set; } = [1, 10];
    public int IdleSessions { get; private set; } = 999;
    public int IdleNotifications { get; private set; } = 3;
    /// <summary>IDLE sessions on the other server (e.g. 1,000 Dovecot processes while Letterbox holds 10,000); null:
    /// <see cref="IdleSessions"/>.</summary>
    public int? OtherIdleSessions { get; private set; }
    public int ConnectionWorkers { get; private set; } = 10;
    public int IdleConnections { get; private set; } = 500;
    /// <summary>The query workload's commands, run on the big mailbox (<c>--queries FILE</c>).</summary>
    public IReadOnlyList<Query> Queries { get; private set; } = QueryWorkload.Defaults;
    /// <summary>Timed runs of each query per repetition (after one warm-up run); the figure is their median.</summary>
    public int QueryRuns { get; private set; } = 3;
    /// <summary>Clients doing handshakes at once in the tls workload.</summary>
    public int TlsWorkers { get; private set; } = 4;
    /// <summary>Idle connections (each of TLS and cleartext) for the tls workload's memory figures.</summary>
    public int TlsConnections { get; private set; } = 1000;
    /// <summary>The PEM certificate and key Letterbox serves in the tls workload (bench/run gives Dovecot the same);
    /// null: the bench makes an ECDSA P-256 one.</summary>
    public string? TlsCertificate { get; private set; }
    public string? TlsKey { get; private set; }
    /// <summary>The other server's implicit TLS listener.</summary>
    public IPEndPoint? AgainstTls { get; private set; }
    public int LoadBatch { get; private set; } = 500;
    public int LoadConnections { get; private set; } = 4;

    /// <summary>The other server (Dovecot started by bench/run, or any server given with --against).</summary>
    public IPEndPoint? Against { get; private set; }
    public string AgainstName { get; private set; } = "dovecot";
    public int? AgainstPid { get; private set; }
    /// <summary>With --user: every workload logs in as this one user on the other server (mailboxes bench-*).</summary>
    public string? AgainstUser { get; private set; }
    public string Password { get; private set; } = "bench";

    public string? LetterboxPath { get; private set; }
    public string? LetterboxData { get; private set; }
    public string? CorpusDirectory { get; private set; }
    public string? JsonPath { get; private set; }
    public TimeSpan TimeLimit { get; private set; } = TimeSpan.FromMinutes(40);
    public bool ListUsers { get; private set; }

    public static CompareOptions Parse(ReadOnlySpan<string> args)
    {
        var o = new CompareOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                o.Clients = [1, 10, 100];
                o.Duration = TimeSpan.FromSeconds(4);
                o.Repeat = 2;
                o.MixedUsers = 5;
                o.MixedMessages = 200;
                o.SyncMessages = 2000;
                o.BigMessages = 10_000;
                o.IdleSessions = 200;
                o.IdleNotifications = 2;
                o.IdleConnections = 200;
                o.TlsConnections = 200;
                continue;
            }
            if (name == "--list-users")
            {
                o.ListUsers = true;
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option '{name}' needs a value.");
            }
            var value = args[++i];
            switch (name)
            {
                case "--only":
                    var only = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    foreach (var w in only)
                    {
                        if (Array.IndexOf(AllWorkloads, w) < 0)
                        {
                            throw new ArgumentException($"--only: unknown workload '{w}' (use {string.Join(", ", AllWorkloads)}).");
                        }
                    }
                    o.Only = new HashSet<string>(only);
                    break;
                case "--clients": o.Clients = List(name, value, 1, 1000); break;
                case "--duration": o.Duration = TimeSpan.FromSeconds(Count(name, value, 1, 600)); break;
                case "--repeat": o.Repeat = Count(name, value, 1, 20); break;
                case "--mixed-users": o.MixedUsers = Count(name, value, 1, 100); break;
                case "--mixed-messages": o.MixedMessages = Count(name, value, 10, 100_000); break;
                case "--sync-messages": o.SyncMessages = Count(name, value, 10, 1_000_000); break;
                case "--sync-changes": o.SyncChanges = Count(name, value, 1, 10_000); break;
                case "--big-messages": o.BigMessages = Count(name, value, 10, 1_000_000); break;
                case "--append-sizes": o.AppendSizes = List(name, value, 256, 10 << 20); break;
                case "--append-sessions": o.AppendSessions = List(name, value, 1, 100); break;
                case "--idle-sessions": o.IdleSessions = Count(name, value, 1, 20_000); break;
                case "--idle-notifications": o.IdleNotifications = Count(name, value, 1, 100); break;
                case "--other-idle-sessions": o.OtherIdleSessions = Count(name, value, 1, 20_000); break;
                case "--connection-workers": o.ConnectionWorkers = Count(name, value, 1, 100); break;
                case "--idle-connections": o.IdleConnections = Count(name, value, 1, 20_000); break;
                case "--queries": o.Queries = QueryWorkload.Load(value); break;
                case "--query-runs": o.QueryRuns = Count(name, value, 1, 100); break;
                case "--tls-workers": o.TlsWorkers = Count(name, value, 1, 64); break;
                case "--tls-connections": o.TlsConnections = Count(name, value, 1, 20_000); break;
                case "--tls-cert": o.TlsCertificate = value; break;
                case "--tls-key": o.TlsKey = value; break;
                case "--against-tls": o.AgainstTls = Loopback(value); break;
                case "--load-batch": o.LoadBatch = Count(name, value, 1, 5000); break;
                case "--load-connections": o.LoadConnections = Count(name, value, 1, 32); break;
                case "--against": o.Against = Loopback(value); break;
                case "--against-name": o.AgainstName = value; break;
                case "--against-pid": o.AgainstPid = Count(name, value, 1, int.MaxValue); break;
                case "--user": o.AgainstUser = value; break;
                case "--password": o.Password = value; break;
                case "--letterbox": o.LetterboxPath = value; break;
                case "--letterbox-data": o.LetterboxData = value; break;
                case "--corpus": o.CorpusDirectory = value; break;
                case "--json": o.JsonPath = value; break;
                case "--time-limit-minutes": o.TimeLimit = TimeSpan.FromMinutes(Count(name, value, 1, 24 * 60)); break;
                default: throw new ArgumentException($"unknown option '{name}'.");
            }
        }
        return o;
    }

    /// <summary>The accounts the workloads use (bench/run puts them in Dovecot's passwd-file).</summary>
    public IEnumerable<string> AccountNames()
    {
        for (var i = 1; i <= MixedUsers; i++)
        {
            yield return Mixed(i - 1);
        }
        yield return "sync";
        yield return "big";
        yield return "idle";
        yield return "conn";
        var appenders = AppendSessions.Max();
        for (var i = 1; i <= appenders; i++)
        {
            yield return Appender(i - 1);
        }
    }

    public static string Mixed(int index) => "mix" + (index + 1).ToString("00", CultureInfo.InvariantCulture);

    public static string Appender(int index) => "app" + (index + 1).ToString("00", CultureInfo.InvariantCulture);

    private static int Count(string name, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{value}'.");
        }
        return n;
    }

    private static int[] List(string name, string value, int min, int max) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Count(name, v, min, max)).ToArray() is { Length: > 0 } list
            ? list
            : throw new ArgumentException($"{name} needs at least one number.");

    /// <summary>The benchmark only ever talks to the local machine.</summary>
    private static IPEndPoint Loopback(string value)
    {
        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            value = "127.0.0.1" + value[9..];
        }
        if (!IPEndPoint.TryParse(value, out var endPoint) || endPoint.Port == 0)
        {
            throw new ArgumentException($"--against must be ADDRESS:PORT, not '{value}'.");
        }
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new ArgumentException("--against must be a loopback address (127.0.0.1): the benchmark never leaves this machine.");
        }
        return endPoint;
    }
}

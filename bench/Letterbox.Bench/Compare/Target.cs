using System.Net;
using System.Text;

namespace Letterbox.Bench.Compare;

/// <summary>One server under test: where it listens, how to log in, and (if known) the pid whose process tree
/// is measured in /proc.</summary>
internal sealed class Target(string name, IPEndPoint endPoint, int? pid, string? singleUser, string password, Func<Task<(IPEndPoint EndPoint, int Pid)>>? restart = null)
{
    public string Name { get; } = name;

    public IPEndPoint EndPoint { get; private set; } = endPoint;

    public int? Pid { get; private set; } = pid;

    /// <summary>The implicit TLS listener (same certificate on both servers), or null.</summary>
    public IPEndPoint? TlsEndPoint { get; init; }

    /// <summary>Restarts the server (Letterbox only: bench/run does not restart Dovecot, whose sessions are
    /// processes of their own anyway) so that a memory measurement starts from a fresh process rather than from a
    /// heap the previous workloads left large; returns false if this server cannot be restarted.</summary>
    public async Task<bool> RestartAsync()
    {
        if (restart is null)
        {
            return false;
        }
        (EndPoint, var newPid) = await restart();
        Pid = newPid;
        return true;
    }

    /// <summary>Capabilities advertised after LOGIN (upper case).</summary>
    public HashSet<string> Capabilities { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Has(string capability) => Capabilities.Contains(capability);

    /// <summary>The user, password and mailbox of a logical account ("mix01", "big"…): its own user's INBOX, or with
    /// <c>--user</c> a mailbox <c>bench-NAME</c> of that one user.</summary>
    public (string User, string Password, string Mailbox) Account(string logical) =>
        singleUser is null ? (logical + "@bench.test", password, "INBOX") : (singleUser, password, "bench-" + logical);

    public bool SingleUser => singleUser is not null;

    public double? CpuSeconds() => Pid is int p ? ProcStats.CpuSeconds(p) : null;

    public long? MemoryKiB() => Pid is int p ? ProcStats.MemoryKiB(p) : null;

    /// <summary>Connects and logs in as <paramref name="logical"/>; returns the client and the mailbox to use.</summary>
    public async Task<(RawImapClient Client, string Mailbox)> LoginAsync(string logical, CancellationToken cancellationToken, int bufferSize = 256 * 1024)
    {
        var (user, pass, mailbox) = Account(logical);
        var client = await RawImapClient.ConnectAsync(EndPoint, cancellationToken, bufferSize);
        try
        {
            await client.CommandAsync(Login(user, pass), cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return (client, Quote(mailbox));
    }

    /// <summary>Reads CAPABILITY after a LOGIN (some servers advertise more once authenticated).</summary>
    public async Task LearnCapabilitiesAsync(string logical, CancellationToken cancellationToken)
    {
        var (client, _) = await LoginAsync(logical, cancellationToken);
        await using (client)
        {
            await client.CommandAsync("CAPABILITY", line =>
            {
                var text = Encoding.ASCII.GetString(line);
                if (text.StartsWith("* CAPABILITY ", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var word in text[13..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        Capabilities.Add(word);
                    }
                }
            }, cancellationToken);
            await client.CommandAsync("LOGOUT", cancellationToken);
        }
    }

    public static string Login(string user, string pass) => $"LOGIN {Quote(user)} {Quote(pass)}";

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

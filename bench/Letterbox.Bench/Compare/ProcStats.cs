using System.Globalization;

namespace Letterbox.Bench.Compare;

/// <summary>
/// CPU time and memory of a server from <c>/proc</c>: a process and all its descendants (Dovecot's master with its
/// imap, imap-login, auth, anvil, config, log… processes; Letterbox is one process).
/// </summary>
internal static class ProcStats
{
    /// <summary>Clock ticks per second of <c>/proc/[pid]/stat</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary><paramref name="root"/> and every process descending from it.</summary>
    public static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            var fields = StatFields(pid);
            if (fields is not null)
            {
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }
        var result = new List<int>();
        if (!parents.ContainsKey(root))
        {
            return result;
        }
        result.Add(root);
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == result[i])
                {
                    result.Add(pid);
                }
            }
        }
        return result;
    }

    /// <summary>Fields of /proc/pid/stat after the command name (index 0 = state, 1 = ppid, 11 = utime, 12 = stime),
    /// or null if the process is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return text[(close + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of the whole tree, in seconds (processes that already exited are not counted:
    /// Dovecot's per-connection imap processes that ended are in their parent's cutime, which is added too).</summary>
    public static double CpuSeconds(int root)
    {
        double ticks = 0;
        foreach (var pid in Tree(root))
        {
            var fields = StatFields(pid);
            if (fields is null)
            {
                continue;
            }
            // utime, stime, and cutime + cstime (children that exited and were reaped by their parent).
            ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            ticks += double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>Proportional set size (Pss, /proc/pid/smaps_rollup) summed over the tree, in KiB: shared pages
    /// (Dovecot's hundreds of imap processes share their code) are counted once in total, not once per process.
    /// Falls back to VmRSS where smaps_rollup is unreadable.</summary>
    public static long MemoryKiB(int root)
    {
        long total = 0;
        foreach (var pid in Tree(root))
        {
            total += Field($"/proc/{pid}/smaps_rollup", "Pss:") ?? Field($"/proc/{pid}/status", "VmRSS:") ?? 0;
        }
        return total;
    }

    public static int ProcessCount(int root) => Tree(root).Count;

    private static long? Field(string path, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(name.Length).Trim();
                    var space = digits.IndexOf(' ');
                    return long.Parse(space < 0 ? digits : digits[..space], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>Waits until the memory of the tree stops changing (5 readings 250 ms apart within 512 KiB), at most
    /// <paramref name="bound"/>.</summary>
    public static async Task<long> SettledMemoryKiBAsync(int root, TimeSpan bound, CancellationToken cancellationToken)
    {
        var window = new Queue<long>();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = MemoryKiB(root);
            window.Enqueue(value);
            if (window.Count > 5)
            {
                window.Dequeue();
            }
            if ((window.Count == 5 && window.Max() - window.Min() <= 512) || stopwatch.Elapsed >= bound)
            {
                return value;
            }
            await Task.Delay(250, cancellationToken);
        }
    }
}

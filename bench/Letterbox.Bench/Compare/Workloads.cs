using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Letterbox.Bench.Compare;

/// <summary>The six comparison workloads. Each runs once against one server and adds its figures to the report;
/// the caller alternates the servers (A/B/A/B) over the repetitions.</summary>
internal sealed class Workloads(CompareOptions options, CompareReport report)
{
    /// <summary>(server, row) pairs that timed out: not tried again in later repetitions.</summary>
    private readonly HashSet<string> _timedOut = [];

    /// <summary>Latencies of many commands, from several sessions at once.</summary>
    private sealed class Latencies
    {
        private readonly List<double> _ms = [];
        private readonly Lock _lock = new();

        private int _uncounted;

        public void Add(double ms)
        {
            lock (_lock)
            {
                _ms.Add(ms);
            }
        }

        /// <summary>A latency that is in the percentiles but not in <see cref="Count"/> (connect + greeting).</summary>
        public void AddUncounted(double ms)
        {
            lock (_lock)
            {
                _ms.Add(ms);
                _uncounted++;
            }
        }

        /// <summary>Commands timed (not counting <see cref="AddUncounted"/>).</summary>
        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _ms.Count - _uncounted;
                }
            }
        }

        public double Percentile(double p)
        {
            lock (_lock)
            {
                if (_ms.Count == 0)
                {
                    return double.NaN;
                }
                var sorted = _ms.ToArray();
                Array.Sort(sorted);
                return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
            }
        }
    }

    private static async Task<T> Timed<T>(Latencies latencies, Func<Task<T>> command)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await command();
        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return result;
    }

    private static double? CpuPer1k(Target target, double? cpuBefore, long commands)
    {
        var after = target.CpuSeconds();
        return after is double a && cpuBefore is double b && commands > 0 ? (a - b) / commands * 1000 : null;
    }

    // ---------------------------------------------------------------------------------------------------------- mixed

    public async Task MixedAsync(Target target, int clients, CancellationToken cancellationToken)
    {
        var name = $"mixed-{clients}";
        var latencies = new Latencies();
        var cpuBefore = target.CpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        var deadline = options.Duration;
        var message = Mail.Synthetic(4096, "mixed");
        var sessions = new Task[clients];
        for (var s = 0; s < clients; s++)
        {
            var account = CompareOptions.Mixed(s % options.MixedUsers);
            var random = new Random(s);
            sessions[s] = Task.Run(async () =>
            {
                // Bounded in time and in count.
                for (var iteration = 0; iteration < 100_000 && stopwatch.Elapsed < deadline; iteration++)
                {
                    await MixedSessionAsync(target, account, message, random, latencies, cancellationToken);
                }
            }, cancellationToken);
        }
        await Task.WhenAll(sessions);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var cpu = CpuPer1k(target, cpuBefore, latencies.Count);
        report.Add(name, "cmd/s", true, target.Name, latencies.Count / seconds, cpu, $"{latencies.Count} commands in {seconds:0.0} s");
        report.Add(name + "-p50", "ms", false, target.Name, latencies.Percentile(0.50), cpu);
        report.Add(name + "-p99", "ms", false, target.Name, latencies.Percentile(0.99), cpu);
    }

    /// <summary>One client session: LOGIN, SELECT, FETCH 1:* (UID FLAGS), FETCH newest 50 (ENVELOPE BODYSTRUCTURE),
    /// BODY.PEEK[] of 5, STORE +FLAGS \Seen, APPEND, SEARCH UNSEEN, UID STORE +FLAGS \Deleted (the appended message,
    /// so the mailbox keeps its size), EXPUNGE, LOGOUT.</summary>
    private async Task MixedSessionAsync(Target target, string account, byte[] message, Random random, Latencies latencies, CancellationToken cancellationToken)
    {
        var (user, pass, mailboxName) = target.Account(account);
        var mailbox = Target.Quote(mailboxName);
        // Connecting (until the greeting) is timed with the commands (a client waits for it too) but not counted
        // as a command: with Dovecot's default login mode it is a process start.
        var connectStart = Stopwatch.GetTimestamp();
        await using var client = await RawImapClient.ConnectAsync(target.EndPoint, cancellationToken);
        latencies.AddUncounted(Stopwatch.GetElapsedTime(connectStart).TotalMilliseconds);
        await Timed(latencies, () => client.CommandAsync(Target.Login(user, pass), cancellationToken));
        var exists = 0;
        await Timed(latencies, () => client.CommandAsync("SELECT " + mailbox, line => exists = Math.Max(exists, Mail.Exists(line)), cancellationToken));
        await Timed(latencies, () => client.CommandAsync("FETCH 1:* (UID FLAGS)", cancellationToken));
        // Only sequence numbers of the loaded messages: other sessions expunge only the messages they appended.
        var stable = Math.Min(exists, options.MixedMessages);
        if (stable > 0)
        {
            await Timed(latencies, () => client.CommandAsync($"FETCH {Math.Max(1, stable - 49)}:{stable} (ENVELOPE BODYSTRUCTURE)", cancellationToken));
            var five = string.Join(',', Enumerable.Range(0, 5).Select(_ => random.Next(1, stable + 1)).Distinct());
            await Timed(latencies, () => client.CommandAsync($"FETCH {five} BODY.PEEK[]", cancellationToken));
            var seen = string.Join(',', Enumerable.Range(0, 5).Select(_ => random.Next(1, stable + 1)).Distinct());
            await Timed(latencies, () => client.CommandAsync($"STORE {seen} +FLAGS (\\Seen)", cancellationToken));
        }
        var (_, appended) = await Timed(latencies, () => client.CommandBytesAsync(Mail.AppendCommand(mailbox, "\\Seen", message), null, cancellationToken));
        await Timed(latencies, () => client.CommandAsync("SEARCH UNSEEN", cancellationToken));
        var uid = Mail.AppendUid(appended);
        if (uid != 0)
        {
            await Timed(latencies, () => client.CommandAsync($"UID STORE {uid.ToString(CultureInfo.InvariantCulture)} +FLAGS (\\Deleted)", cancellationToken));
        }
        await Timed(latencies, () => client.CommandAsync("EXPUNGE", cancellationToken));
        await Timed(latencies, () => client.CommandAsync("LOGOUT", cancellationToken));
    }

    // ----------------------------------------------------------------------------------------------------------- sync

    /// <summary>Another session changes <c>--sync-changes</c> messages (flags), then a client resynchronises:
    /// SELECT + FETCH 1:* (UID FLAGS), and — where the server advertises CONDSTORE — SELECT (CONDSTORE) + FETCH 1:*
    /// (UID FLAGS) (CHANGEDSINCE m) from the HIGHESTMODSEQ it saw before the changes.</summary>
    public async Task SyncAsync(Target target, int repetition, CancellationToken cancellationToken)
    {
        var condstore = target.Has("CONDSTORE");
        ulong modseq = 0;
        if (condstore)
        {
            var (before, box) = await target.LoginAsync("sync", cancellationToken);
            await using (before)
            {
                await before.CommandAsync($"SELECT {box} (CONDSTORE)", line => modseq = Math.Max(modseq, Mail.HighestModSeq(line)), cancellationToken);
                await before.CommandAsync("LOGOUT", cancellationToken);
            }
        }
        var (changer, mailbox) = await target.LoginAsync("sync", cancellationToken);
        await using (changer)
        {
            var exists = 0;
            await changer.CommandAsync("SELECT " + mailbox, line => exists = Math.Max(exists, Mail.Exists(line)), cancellationToken);
            var random = new Random(repetition);
            var sign = repetition % 2 == 0 ? '+' : '-';
            for (var i = 0; i < options.SyncChanges; i++)
            {
                await changer.CommandAsync($"STORE {random.Next(1, exists + 1)} {sign}FLAGS.SILENT (\\Flagged)", cancellationToken);
            }
            await changer.CommandAsync("LOGOUT", cancellationToken);
        }

        var (client, _) = await target.LoginAsync("sync", cancellationToken);
        await using (client)
        {
            var cpuBefore = target.CpuSeconds();
            var start = Stopwatch.GetTimestamp();
            await client.CommandAsync("SELECT " + mailbox, cancellationToken);
            var (bytes, _) = await client.CommandAsync("FETCH 1:* (UID FLAGS)", cancellationToken);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            report.Add("sync-full", "ms", false, target.Name, ms, CpuPer1k(target, cpuBefore, 2), $"SELECT + FETCH 1:* (UID FLAGS), {bytes} bytes");
            if (condstore)
            {
                await client.CommandAsync("UNSELECT", cancellationToken);
                cpuBefore = target.CpuSeconds();
                start = Stopwatch.GetTimestamp();
                await client.CommandAsync($"SELECT {mailbox} (CONDSTORE)", cancellationToken);
                (bytes, _) = await client.CommandAsync($"FETCH 1:* (UID FLAGS) (CHANGEDSINCE {modseq.ToString(CultureInfo.InvariantCulture)})", cancellationToken);
                ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                report.Add("sync-condstore", "ms", false, target.Name, ms, CpuPer1k(target, cpuBefore, 2), $"CHANGEDSINCE: {bytes} bytes");
            }
            else
            {
                report.Add("sync-condstore", "ms", false, target.Name, null, null, $"{target.Name} does not advertise CONDSTORE");
            }
            await client.CommandAsync("LOGOUT", cancellationToken);
        }
    }

    // ------------------------------------------------------------------------------------------------------------ big

    /// <summary>SELECT, FETCH 1:* (UID FLAGS), SEARCH UNSEEN, SEARCH SUBJECT, SORT on the big mailbox, each timed.</summary>
    public async Task BigAsync(Target target, CancellationToken cancellationToken)
    {
        // SEARCH UNSEEN on 100,000 messages answers with one line of ~400 KB.
        var (client, mailbox) = await target.LoginAsync("big", cancellationToken, bufferSize: 16 << 20);
        await using (client)
        {
            var commands = new List<(string Row, string? Command, string? Missing)>
            {
                ("big-select", "SELECT " + mailbox, null),
                ("big-fetch-uid-flags", "FETCH 1:* (UID FLAGS)", null),
                ("big-search-unseen", "SEARCH UNSEEN", null),
                ("big-search-subject", "SEARCH SUBJECT \"no-such-subject-anywhere\"", null),
                ("big-sort-date", target.Has("SORT") ? "SORT (REVERSE DATE) UTF-8 ALL" : null, $"{target.Name} does not advertise SORT"),
            };
            foreach (var (row, command, missing) in commands)
            {
                if (command is null || _timedOut.Contains(target.Name + "/" + row))
                {
                    report.Add(row, "ms", false, target.Name, null, null, command is null ? missing : $"{target.Name}: timed out in an earlier repetition");
                    continue;
                }
                var cpuBefore = target.CpuSeconds();
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var (bytes, _) = await client.CommandAsync(command, cancellationToken);
                    report.Add(row, "ms", false, target.Name, Stopwatch.GetElapsedTime(start).TotalMilliseconds, CpuPer1k(target, cpuBefore, 1), $"{bytes} bytes");
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    report.Add(row, "ms", false, target.Name, null, null, $"{target.Name}: {e.Message}");
                    if (e is TimeoutException)
                    {
                        // The connection is out of step now: the next repetition skips this command.
                        _timedOut.Add(target.Name + "/" + row);
                        return;
                    }
                }
            }
            await client.CommandAsync("LOGOUT", cancellationToken);
        }
    }

    // -------------------------------------------------------------------------------------------------------- queries

    /// <summary>The query workload (<see cref="QueryWorkload"/>) on the big mailbox: each query once to warm up, then
    /// --query-runs times; the row's figure is the median. A query the server refuses (BAD for SORT/THREAD where not
    /// implemented) is n/a with the server's answer as the note; the result count goes in the note, so differing
    /// answers of the two servers show.</summary>
    public async Task QueriesAsync(Target target, CancellationToken cancellationToken)
    {
        RawImapClient? client = null;
        try
        {
            foreach (var query in options.Queries)
            {
                var row = "query-" + query.Name;
                if (_timedOut.Contains(target.Name + "/" + row))
                {
                    report.Add(row, "ms", false, target.Name, null, null, $"{target.Name}: timed out in an earlier repetition");
                    continue;
                }
                if (client is null)
                {
                    // SEARCH on 100,000 messages answers with a line of up to ~600 KB.
                    (client, var mailbox) = await target.LoginAsync("big", cancellationToken, bufferSize: 16 << 20);
                    await client.CommandAsync("SELECT " + mailbox, cancellationToken);
                }
                var cpuBefore = target.CpuSeconds();
                var outcome = await QueryWorkload.MeasureAsync(client, query.Command, options.QueryRuns, cancellationToken);
                var note = $"{target.Name}: {QueryWorkload.Describe(outcome, options.QueryRuns)}";
                report.Add(row, "ms", false, target.Name, outcome.MedianMs, outcome.MedianMs is null ? null : CpuPer1k(target, cpuBefore, options.QueryRuns + 1), note);
                if (outcome.TimedOut)
                {
                    _timedOut.Add(target.Name + "/" + row);
                    await client.DisposeAsync();
                    client = null;
                }
            }
            if (client is not null)
            {
                await client.CommandAsync("LOGOUT", cancellationToken);
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    // --------------------------------------------------------------------------------------------------------- append

    /// <summary><paramref name="sessions"/> sessions, each its own user, APPEND <paramref name="size"/>-byte messages
    /// one after another (each waits for its tagged OK, i.e. for the server's durability) for --duration.</summary>
    public async Task AppendAsync(Target target, int size, int sessions, CancellationToken cancellationToken)
    {
        var name = $"append-{(size % 1024 == 0 ? (size / 1024).ToString(CultureInfo.InvariantCulture) + "k" : size.ToString(CultureInfo.InvariantCulture))}-{sessions}";
        var message = Mail.Synthetic(size, "append");
        long count = 0;
        var latencies = new Latencies();
        var clients = new List<(RawImapClient Client, string Mailbox)>();
        try
        {
            for (var s = 0; s < sessions; s++)
            {
                clients.Add(await target.LoginAsync(CompareOptions.Appender(s), cancellationToken));
                if (target.SingleUser)
                {
                    try
                    {
                        await clients[^1].Client.CommandAsync("CREATE " + clients[^1].Mailbox, cancellationToken);
                    }
                    catch (InvalidOperationException)
                    {
                        // Already exists.
                    }
                }
            }
            var cpuBefore = target.CpuSeconds();
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select(c => Task.Run(async () =>
            {
                var command = Mail.AppendCommand(c.Mailbox, "", message);
                for (var i = 0; i < 20_000 && stopwatch.Elapsed < options.Duration; i++)
                {
                    await Timed(latencies, () => c.Client.CommandBytesAsync(command, null, cancellationToken));
                    Interlocked.Increment(ref count);
                }
            }, cancellationToken)));
            var seconds = stopwatch.Elapsed.TotalSeconds;
            report.Add(name, "msg/s", true, target.Name, count / seconds, CpuPer1k(target, cpuBefore, count),
                string.Create(CultureInfo.InvariantCulture, $"{count} x {message.Length} B in {seconds:0.0} s, {count * message.Length / seconds / 1048576:0.0} MiB/s, p50 {latencies.Percentile(0.5):0.0} ms"));
            foreach (var (client, _) in clients)
            {
                await client.CommandAsync("LOGOUT", cancellationToken);
            }
        }
        finally
        {
            foreach (var (client, _) in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------- idle

    /// <summary>--idle-sessions sessions (--other-idle-sessions on the other server) SELECT the idle account's
    /// mailbox and IDLE; memory per IDLE session (the server's memory before and after), its CPU use while they idle,
    /// and the time from the tagged OK of a notifier's APPEND until each session has read <c>* n EXISTS</c>: median
    /// and max (the last idler) over all sessions and --idle-notifications rounds.</summary>
    public async Task IdleAsync(Target target, CancellationToken cancellationToken)
    {
        var count = target.Name == "letterbox" ? options.IdleSessions : options.OtherIdleSessions ?? options.IdleSessions;
        await WarmRestartAsync(target, cancellationToken);
        var (notifier, mailbox) = await target.LoginAsync("idle", cancellationToken);
        var sessions = new RawImapClient?[count];
        try
        {
            await notifier.CommandAsync("SELECT " + mailbox, cancellationToken);
            var before = target.Pid is int pid ? await ProcStats.SettledMemoryKiBAsync(pid, TimeSpan.FromSeconds(10), cancellationToken) : (long?)null;
            var openTime = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    var (client, box) = await target.LoginAsync("idle", cancellationToken, bufferSize: 4096);
                    sessions[index] = client;
                    await client.CommandAsync("SELECT " + box, cancellationToken);
                    await client.SendCommandAsync("IDLE", cancellationToken);
                    string line;
                    do
                    {
                        line = await client.ReadLineAsync(cancellationToken);
                    }
                    while (!line.StartsWith('+'));
                }
            }, cancellationToken)));
            var opened = openTime.Elapsed.TotalSeconds;
            if (target.Pid is int p)
            {
                var after = await ProcStats.SettledMemoryKiBAsync(p, TimeSpan.FromSeconds(20), cancellationToken);
                report.Add("idle-memory", "KiB/sess", false, target.Name, (after - before!.Value) / (double)count, null,
                    string.Create(CultureInfo.InvariantCulture, $"{before / 1024.0:0} -> {after / 1024.0:0} MiB (Pss, {ProcStats.ProcessCount(p)} processes) for {count} IDLE sessions, opened in {opened:0.0} s"));
                // CPU while everyone idles (Letterbox polls every session's mailbox every second).
                var cpu0 = target.CpuSeconds();
                var idleWatch = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                var cpuPercent = (target.CpuSeconds() - cpu0) / idleWatch.Elapsed.TotalSeconds * 100;
                report.Add("idle-cpu", "% cpu", false, target.Name, cpuPercent, null, $"server CPU while {count} sessions IDLE");
            }

            // Notification latency: every session reads until EXISTS and notes when; the clock starts when the
            // notifier has read the APPEND's tagged OK (the change is committed). An idler may be told before the
            // notifier reads its OK: that counts as 0.
            var latencies = new Latencies();
            var message = Mail.Synthetic(2048, "idle");
            var missed = 0;
            var arrivals = new long[count];
            for (var round = 0; round < options.IdleNotifications; round++)
            {
                Array.Clear(arrivals);
                var readers = sessions.Select((session, index) => Task.Run(async () =>
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    try
                    {
                        while (true)
                        {
                            var line = await session!.ReadLineAsync(timeout.Token);
                            if (line.EndsWith(" EXISTS", StringComparison.Ordinal))
                            {
                                arrivals[index] = Stopwatch.GetTimestamp();
                                return;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref missed);
                    }
                }, cancellationToken)).ToArray();
                await notifier.CommandBytesAsync(Mail.AppendCommand(mailbox, "", message), null, cancellationToken);
                var committed = Stopwatch.GetTimestamp();
                await Task.WhenAll(readers);
                foreach (var arrival in arrivals)
                {
                    if (arrival != 0)
                    {
                        latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(committed, arrival).TotalMilliseconds));
                    }
                }
                if (missed > 0)
                {
                    break;
                }
            }
            var note = $"{latencies.Count} notifications to {count} IDLE sessions, from the APPEND's tagged OK{(missed > 0 ? $", {missed} sessions got none within 30 s" : "")}";
            report.Add("idle-notify-p50", "ms", false, target.Name, latencies.Count > 0 ? latencies.Percentile(0.5) : null, null, note);
            report.Add("idle-notify-p99", "ms", false, target.Name, latencies.Count > 0 ? latencies.Percentile(0.99) : null, null, note);
            report.Add("idle-notify-max", "ms", false, target.Name, latencies.Count > 0 ? latencies.Percentile(1.0) : null, null, note);
            await notifier.CommandAsync("LOGOUT", cancellationToken);
        }
        finally
        {
            await notifier.DisposeAsync();
            foreach (var session in sessions)
            {
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }
        }
    }

    /// <summary>A fresh server process (where the target can restart) that has served one LOGIN, SELECT, IDLE and
    /// LOGOUT, so JIT and first-use allocations are in the memory baseline.</summary>
    internal static async Task WarmRestartAsync(Target target, CancellationToken cancellationToken)
    {
        if (!await target.RestartAsync())
        {
            return;
        }
        var (client, mailbox) = await target.LoginAsync("idle", cancellationToken);
        await using (client)
        {
            await client.CommandAsync("SELECT " + mailbox, cancellationToken);
            var tag = await client.SendCommandAsync("IDLE", cancellationToken);
            while (!(await client.ReadLineAsync(cancellationToken)).StartsWith('+'))
            {
            }
            await client.SendLineAsync("DONE", cancellationToken);
            await client.ReadResponseAsync(tag, "IDLE", null, cancellationToken);
            await client.CommandAsync("LOGOUT", cancellationToken);
        }
    }

    // ---------------------------------------------------------------------------------------------------- connections

    /// <summary>--connection-workers clients connect, LOGIN and LOGOUT in a loop for --duration; then
    /// --idle-connections authenticated connections stay open and the server's memory per connection is read.</summary>
    public async Task ConnectionsAsync(Target target, CancellationToken cancellationToken)
    {
        var (user, pass, _) = target.Account("conn");
        var login = Target.Login(user, pass);
        long logins = 0;
        var cpuBefore = target.CpuSeconds();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.ConnectionWorkers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 100_000 && stopwatch.Elapsed < options.Duration; i++)
            {
                await using var client = await RawImapClient.ConnectAsync(target.EndPoint, cancellationToken, bufferSize: 4096);
                await client.CommandAsync(login, cancellationToken);
                await client.CommandAsync("LOGOUT", cancellationToken);
                Interlocked.Increment(ref logins);
            }
        }, cancellationToken)));
        var seconds = stopwatch.Elapsed.TotalSeconds;
        report.Add("connections-login-logout", "logins/s", true, target.Name, logins / seconds, CpuPer1k(target, cpuBefore, logins * 2),
            $"{logins} connect+LOGIN+LOGOUT by {options.ConnectionWorkers} clients in {seconds:0.0} s");

        if (target.Pid is not int pid)
        {
            report.Add("connections-memory", "KiB/conn", false, target.Name, null, null, "no pid: memory not measured");
            return;
        }
        var count = options.IdleConnections;
        var clients = new RawImapClient?[count];
        try
        {
            await WarmRestartAsync(target, cancellationToken);
            pid = target.Pid!.Value;
            var before = await ProcStats.SettledMemoryKiBAsync(pid, TimeSpan.FromSeconds(10), cancellationToken);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    var client = await RawImapClient.ConnectAsync(target.EndPoint, cancellationToken, bufferSize: 4096);
                    clients[index] = client;
                    await client.CommandAsync(login, cancellationToken);
                }
            }, cancellationToken)));
            var after = await ProcStats.SettledMemoryKiBAsync(pid, TimeSpan.FromSeconds(20), cancellationToken);
            report.Add("connections-memory", "KiB/conn", false, target.Name, (after - before) / (double)count, null,
                string.Create(CultureInfo.InvariantCulture, $"{before / 1024.0:0} -> {after / 1024.0:0} MiB (Pss) for {count} logged-in connections"));
        }
        finally
        {
            foreach (var client in clients)
            {
                if (client is not null)
                {
                    await client.DisposeAsync();
                }
            }
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Letterbox.Bench.Tests;

/// <summary>
/// Runs <c>Letterbox.Bench compare</c> as a process against Letterbox only, with tiny sizes and one-second runs:
/// every workload must print its RESULT line and the process must exit 0, having stopped its server and removed
/// its data. No timing is asserted: the figures are whatever this machine gives.
/// </summary>
public sealed partial class CompareHarnessTests
{
    /// <summary>Every row the workloads produce with the options below.</summary>
    private static readonly string[] Rows =
    [
        "load-append",
        "mixed-1", "mixed-1-p50", "mixed-1-p99", "mixed-3", "mixed-3-p50", "mixed-3-p99",
        "sync-full", "sync-condstore",
        "big-select", "big-fetch-uid-flags", "big-search-unseen", "big-search-subject", "big-sort-date",
        "query-search-from", "query-search-text", "query-search-since-unseen", "query-sort-reverse-date", "query-sort-subject", "query-thread-references",
        "append-1k-1", "append-1k-2",
        "idle-memory", "idle-cpu", "idle-notify-p50", "idle-notify-p99", "idle-notify-max",
        "connections-login-logout", "connections-memory",
        "tls-handshakes-1.3", "tls-handshakes-1.2", "tls-idle-memory", "plain-idle-memory", "tls-extra-memory",
    ];

    /// <summary>Rows that must carry a Letterbox figure (the others depend on capabilities Letterbox may lack, or
    /// on memory deltas that can be zero).</summary>
    private static readonly string[] Measured =
    [
        "mixed-1", "mixed-3", "mixed-1-p50", "sync-full", "big-select", "big-fetch-uid-flags", "big-search-unseen",
        "query-search-from", "query-search-text", "query-search-since-unseen",
        "append-1k-1", "append-1k-2", "idle-notify-p50", "connections-login-logout",
        "tls-handshakes-1.3", "tls-handshakes-1.2",
    ];

    [Fact]
    public async Task Compare_runs_every_workload_against_letterbox_and_prints_a_result_line_for_each()
    {
        var json = Path.Combine(Path.GetTempPath(), "letterbox-bench-test-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (exit, output) = await RunBenchAsync(
                "compare", "--duration", "1", "--repeat", "1", "--clients", "1,3",
                "--mixed-users", "2", "--mixed-messages", "20", "--sync-messages", "60", "--sync-changes", "5",
                "--big-messages", "200", "--append-sizes", "1024", "--append-sessions", "1,2",
                "--idle-sessions", "5", "--idle-notifications", "1", "--idle-connections", "5", "--connection-workers", "2",
                "--load-batch", "50", "--query-runs", "1", "--tls-workers", "2", "--tls-connections", "5", "--json", json);

            Assert.True(exit == 0, $"exit code {exit}:\n{output}");
            foreach (var row in Rows)
            {
                var line = ResultLines(output).SingleOrDefault(l => l.Contains($"workload={row} ", StringComparison.Ordinal));
                Assert.True(line is not null, $"no RESULT line for {row}:\n{output}");
                Assert.Matches(@"^RESULT workload=\S+ letterbox=(n/a|-?[0-9.]+) other=n/a unit=\S+( \S+)? ratio=n/a$", line);
            }
            Assert.Equal(Rows.Length, ResultLines(output).Count());
            foreach (var row in Measured)
            {
                Assert.Matches($@"^RESULT workload={Regex.Escape(row)} letterbox=[0-9.]+ ", ResultLines(output).Single(l => l.Contains($"workload={row} ", StringComparison.Ordinal)));
            }

            // The query workload counts results; a command Letterbox refuses (SORT/THREAD until implemented) is n/a
            // with the server's answer, not a crash.
            Assert.Matches(@"letterbox: \d+ results", output);

            // The server was stopped and its temporary data removed.
            var started = ServerLine().Match(output);
            Assert.True(started.Success, output);
            Assert.False(Directory.Exists($"/proc/{started.Groups[1].Value}"), "letterbox serve still running");
            Assert.False(Directory.Exists(started.Groups[2].Value), "temporary data directory left behind");

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal(Rows.Length, document.RootElement.GetProperty("rows").GetArrayLength());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task List_users_names_every_account_the_workloads_log_in_as()
    {
        var (exit, output) = await RunBenchAsync("compare", "--list-users", "--mixed-users", "3", "--append-sessions", "1,4");
        Assert.Equal(0, exit);
        Assert.Equal(
            ["mix01@bench.test", "mix02@bench.test", "mix03@bench.test", "sync@bench.test", "big@bench.test", "idle@bench.test", "conn@bench.test",
             "app01@bench.test", "app02@bench.test", "app03@bench.test", "app04@bench.test"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Against_must_be_a_loopback_address()
    {
        var (exit, output) = await RunBenchAsync("compare", "--against", "192.0.2.1:143");
        Assert.Equal(2, exit);
        Assert.Contains("loopback", output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> ResultLines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal));

    [GeneratedRegex(@"letterbox: pid (\d+) on \S+, data (\S+)")]
    private static partial Regex ServerLine();

    /// <summary>Runs the bench (built next to this test assembly) and returns its exit code and output; killed
    /// after 5 minutes (a hang fails the test instead of blocking CI).</summary>
    private static async Task<(int Exit, string Output)> RunBenchAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Letterbox.Bench.dll");
        Assert.True(File.Exists(dll), $"{dll} missing");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"the bench did not finish within 5 minutes:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Imap;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// The QRESYNC promise (RFC 7162 §3.2.5): a client that remembers (UIDVALIDITY, HIGHESTMODSEQ, UIDs and flags) and
/// reconnects with <c>SELECT mailbox (QRESYNC (…))</c> reaches the server's exact state by applying only what the
/// server sends — VANISHED (EARLIER) and FETCH — after any number of changes by another client.
/// </summary>
public sealed partial class QResyncResyncTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reconnect_after_1000_mixed_changes_reproduces_the_server_state(bool sendKnownUids)
    {
        await using var server = await TestServer.StartAsync();
        var (name, password) = await server.AddUserAsync("resync");

        // Client B seeds the mailbox.
        using var b = await server.ConnectAsync();
        await b.AuthenticateAsync(name, password);
        var inboxB = b.Inbox;
        await inboxB.OpenAsync(FolderAccess.ReadWrite);
        var archive = await b.GetFolderAsync("Archive");
        var live = new List<UniqueId>();
        for (var i = 0; i < 60; i++)
        {
            live.Add((await inboxB.AppendAsync(Messages.Text("seed " + i), i % 3 == 0 ? MessageFlags.Seen : MessageFlags.None))!.Value);
        }

        // Client A: ENABLE QRESYNC, SELECT, remember everything, go away.
        var cache = new Dictionary<uint, string>();
        uint uidValidity;
        ulong highestModSeq;
        await using (var a = await RawLoginAsync(server, name, password))
        {
            Assert.True((await a.CommandAsync("e", "ENABLE QRESYNC")).IsOk);
            var select = await a.CommandAsync("s", "SELECT INBOX");
            uidValidity = uint.Parse(Code(select, "UIDVALIDITY"), CultureInfo.InvariantCulture);
            highestModSeq = ulong.Parse(Code(select, "HIGHESTMODSEQ"), CultureInfo.InvariantCulture);
            Apply(cache, await a.CommandAsync("f", "UID FETCH 1:* (FLAGS)"));
            Assert.Equal(60, cache.Count);
        }

        // Client B: 1,000 mixed changes — appends, flag changes, expunges, moves out (seeded, reproducible).
        var random = new Random(7162);
        string[] keywords = ["$Label1", "$Work"];
        for (var change = 0; change < 1000; change++)
        {
            var roll = random.Next(100);
            if (roll < 25 || live.Count < 5)
            {
                var flags = random.Next(2) == 0 ? MessageFlags.None : MessageFlags.Flagged;
                live.Add((await inboxB.AppendAsync(Messages.Text("change " + change), flags))!.Value);
                continue;
            }
            var index = random.Next(live.Count);
            var uid = live[index];
            if (roll < 65)
            {
                var flag = (random.Next(4)) switch { 0 => MessageFlags.Seen, 1 => MessageFlags.Flagged, 2 => MessageFlags.Answered, _ => MessageFlags.None };
                var request = flag == MessageFlags.None
                    ? new StoreFlagsRequest(random.Next(2) == 0 ? StoreAction.Add : StoreAction.Remove, new HashSet<string> { keywords[random.Next(2)] }) { Silent = true }
                    : new StoreFlagsRequest(random.Next(2) == 0 ? StoreAction.Add : StoreAction.Remove, flag) { Silent = true };
                await inboxB.StoreAsync(uid, request);
            }
            else if (roll < 85)
            {
                await inboxB.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
                await inboxB.ExpungeAsync([uid]);
                live.RemoveAt(index);
            }
            else
            {
                await inboxB.MoveToAsync(uid, archive);
                live.RemoveAt(index);
            }
        }
        await b.DisconnectAsync(true);

        // Client A comes back and applies only what the server sends.
        await using (var a = await RawLoginAsync(server, name, password))
        {
            Assert.True((await a.CommandAsync("e", "ENABLE QRESYNC")).IsOk);
            var known = sendKnownUids ? " " + UidSet(cache.Keys) : "";
            var select = await a.CommandAsync("s", $"SELECT INBOX (QRESYNC ({uidValidity} {highestModSeq}{known}))");
            Assert.True(select.IsOk, select.ToString());
            Apply(cache, select);
            if (sendKnownUids)
            {
                // Changes are reported for the known UIDs only; new messages are fetched above the highest known.
                var above = cache.Count == 0 ? 1 : Max(cache.Keys) + 1;
                Apply(cache, await a.CommandAsync("n", $"UID FETCH {above}:* (FLAGS)"), onlyAbove: above);
            }
        }

        // The truth: a fresh full FETCH on a new connection.
        var truth = new Dictionary<uint, string>();
        await using (var c = await RawLoginAsync(server, name, password))
        {
            Assert.True((await c.CommandAsync("s", "EXAMINE INBOX")).IsOk);
            Apply(truth, await c.CommandAsync("f", "UID FETCH 1:* (FLAGS)"));
        }
        Assert.Equal(live.Count, truth.Count);
        Assert.Equal(Describe(truth), Describe(cache));
    }

    private static async Task<RawImapClient> RawLoginAsync(TestServer server, string name, string password)
    {
        var client = await server.ConnectRawAsync();
        await client.LoginAsync(name, password);
        return client;
    }

    /// <summary>Applies untagged responses to a UID → flags cache: <c>* VANISHED [(EARLIER)] set</c> removes,
    /// <c>* n FETCH (… UID u … FLAGS (…) …)</c> sets (RFC 7162 §3.2.10, RFC 9051 §7.5.2).</summary>
    private static void Apply(Dictionary<uint, string> cache, RawImapClient.Response response, uint onlyAbove = 0)
    {
        Assert.True(response.IsOk, response.ToString());
        foreach (var line in response.Untagged)
        {
            if (line.StartsWith("* VANISHED ", StringComparison.Ordinal))
            {
                var set = line["* VANISHED ".Length..];
                if (set.StartsWith("(EARLIER) ", StringComparison.Ordinal))
                {
                    set = set["(EARLIER) ".Length..];
                }
                foreach (var uid in ParseSet(set))
                {
                    cache.Remove(uid);
                }
                continue;
            }
            var fetch = FetchLine().Match(line);
            if (!fetch.Success)
            {
                continue;
            }
            var uidMatch = UidItem().Match(fetch.Groups[1].Value);
            var flagsMatch = FlagsItem().Match(fetch.Groups[1].Value);
            Assert.True(uidMatch.Success, "FETCH without UID under QRESYNC: " + line);
            if (!flagsMatch.Success)
            {
                continue;
            }
            var uidValue = uint.Parse(uidMatch.Groups[1].Value, CultureInfo.InvariantCulture);
            if (uidValue >= onlyAbove)
            {
                cache[uidValue] = NormalizeFlags(flagsMatch.Groups[1].Value);
            }
        }
    }

    private static string NormalizeFlags(string flags)
    {
        var list = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(list, StringComparer.OrdinalIgnoreCase);
        return string.Join(' ', list);
    }

    private static IEnumerable<uint> ParseSet(string set)
    {
        foreach (var part in set.Split(','))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var low = uint.Parse(colon < 0 ? part : part[..colon], CultureInfo.InvariantCulture);
            var high = colon < 0 ? low : uint.Parse(part[(colon + 1)..], CultureInfo.InvariantCulture);
            for (var uid = Math.Min(low, high); uid <= Math.Max(low, high); uid++)
            {
                yield return uid;
            }
        }
    }

    private static string UidSet(IEnumerable<uint> uids)
    {
        var sorted = new List<uint>(uids);
        sorted.Sort();
        return string.Join(',', sorted);
    }

    private static uint Max(IEnumerable<uint> uids)
    {
        uint max = 0;
        foreach (var uid in uids)
        {
            max = Math.Max(max, uid);
        }
        return max;
    }

    private static string Code(RawImapClient.Response response, string code)
    {
        foreach (var line in response.Untagged)
        {
            var start = line.IndexOf("[" + code + " ", StringComparison.Ordinal);
            if (start >= 0)
            {
                start += code.Length + 2;
                return line[start..line.IndexOf(']', start)];
            }
        }
        throw new InvalidOperationException($"no [{code}] in\n{response}");
    }

    private static string Describe(Dictionary<uint, string> state)
    {
        var uids = new List<uint>(state.Keys);
        uids.Sort();
        var lines = new List<string>(uids.Count);
        foreach (var uid in uids)
        {
            lines.Add(uid.ToString(CultureInfo.InvariantCulture) + " " + state[uid]);
        }
        return string.Join("\n", lines);
    }

    [GeneratedRegex(@"^\* \d+ FETCH \((.*)\)$")]
    private static partial Regex FetchLine();

    [GeneratedRegex(@"(?:^| )UID (\d+)")]
    private static partial Regex UidItem();

    [GeneratedRegex(@"(?:^| )FLAGS \(([^)]*)\)")]
    private static partial Regex FlagsItem();
}

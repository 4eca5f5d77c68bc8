using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Letterbox.Mail.Messages;
using Letterbox.Server.Imap.Selected;

namespace Letterbox.Server.Tests.Selected;

/// <summary>
/// Seeded random model test of the synchronized view (RFC 9051 §5.2, §7.4.1, §7.5.1): several sessions on one
/// mailbox run random commands (APPEND, [UID] STORE ±FLAGS[.SILENT], EXPUNGE, UID EXPUNGE, [UID] COPY, [UID] MOVE,
/// NOOP, [UID] FETCH, [UID] SEARCH) while other work reaches the mailbox directly through the store (delivery,
/// moves in). Each client rebuilds its view only from the untagged responses it got; after each command it must
/// match the store as the session may know it, and after a final NOOP every view equals the store exactly.
/// </summary>
/// <remarks>A failure names the seed and the last commands; rerun that seed alone to reproduce.</remarks>
public sealed partial class SyncModelTests
{
    private const int Sessions = 3;
    private const int Steps = 70;

    private static readonly string[] FlagNames = [@"\Seen", @"\Flagged", @"\Answered", @"\Draft", "$Label1"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Random_commands_keep_every_view_consistent(int seed)
    {
        var random = new Random(seed);
        await using var h = await SelectedHarness.CreateAsync(4);
        var archive = (await h.Store.GetMailboxAsync(h.User.Id, "Archive"))!;
        await h.AppendAsync(archive.Id, 3);
        var clients = new List<ModelClient>();
        var history = new List<string>();
        for (var i = 0; i < Sessions; i++)
        {
            var client = new ModelClient(i, await h.ConnectAsync());
            await client.RunAsync("SELECT INBOX", allowExpunge: true);
            await client.RunAsync("FETCH 1:* (UID FLAGS)", allowExpunge: false);
            clients.Add(client);
        }
        try
        {
            for (var step = 0; step < Steps; step++)
            {
                if (random.Next(8) == 0)
                {
                    await ExternalChangeAsync(h, archive.Id, random, history);
                    continue;
                }
                var client = clients[random.Next(clients.Count)];
                var before = client.ServerView();
                var (storedBefore, _) = await h.Store.GetUidsAsync(h.Inbox.Id);
                var (command, allowExpunge, ownMoved) = NextCommand(client, random);
                history.Add($"S{client.Index}: {command}");
                var lines = await client.RunAsync(command, allowExpunge, ownMoved);
                history.Add("    " + string.Join(" | ", lines));
                await CheckAsync(h, client, before, storedBefore, allowExpunge, ownMoved, command, lines);
            }
            foreach (var client in clients)
            {
                history.Add($"S{client.Index}: final NOOP");
                await client.RunAsync("NOOP", allowExpunge: true);
                await client.RunAsync("FETCH 1:* (UID FLAGS)", allowExpunge: false);
                var (uids, _) = await h.Store.GetUidsAsync(h.Inbox.Id);
                Assert.Equal(uids, client.Uids);
                await AssertFlagsAsync(h, client, requireKnown: true);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var tail = history.Count > 30 ? history.GetRange(history.Count - 30, 30) : history;
            throw new InvalidOperationException($"Model test failed with seed {seed}; last commands:\n{string.Join("\n", tail)}", e);
        }
    }

    /// <summary>Picks a command for <paramref name="client"/>; returns it, whether EXPUNGE may be sent while it is
    /// answered (RFC 9051 §7.5.1), and, for MOVE by sequence number, the UIDs it moves (their EXPUNGEs are its own
    /// result, RFC 6851 §4.3).</summary>
    private static (string Command, bool AllowExpunge, HashSet<int>? OwnMoved) NextCommand(ModelClient client, Random random)
    {
        var count = client.Uids.Count;
        var kind = random.Next(15);
        if (count == 0 && kind is >= 1 and <= 11)
        {
            kind = 0;
        }
        var seq = random.Next(1, count + 1);
        var seqSet = random.Next(3) == 0 ? $"{seq}:*" : seq.ToString(CultureInfo.InvariantCulture);
        var uid = client.Uids.Count > 0 ? client.Uids[seq - 1] : 0;
        var uidSet = uid == 0 ? "1:*" : random.Next(3) == 0 ? $"{uid}:*" : uid.ToString(CultureInfo.InvariantCulture);
        var flag = FlagNames[random.Next(FlagNames.Length)];
        var sign = random.Next(3) == 0 ? "-" : "+";
        var silent = random.Next(2) == 0 ? ".SILENT" : "";
        switch (kind)
        {
            case 0:
                return ($"APPEND INBOX ({flag}) {{{Body.Length}+}}\r\n{Body}", true, null);
            case 1:
                return ($"STORE {seqSet} {sign}FLAGS{silent} ({flag})", false, null);
            case 2:
                return ($"UID STORE {uidSet} {sign}FLAGS{silent} ({flag})", true, null);
            case 3:
                return ($@"STORE {seqSet} +FLAGS.SILENT (\Deleted)", false, null);
            case 4:
                return ("EXPUNGE", true, null);
            case 5:
                return ($"UID EXPUNGE {uidSet}", true, null);
            case 6:
                return ($"COPY {seqSet} Archive", false, null);
            case 7:
                return ($"UID MOVE {uidSet} Archive", true, null);
            case 8:
                return ($"MOVE {seqSet} Archive", false, client.SeqsOf(seqSet));
            case 9:
                return ($"FETCH {seqSet} (UID FLAGS)", false, null);
            case 10:
                return ($"UID FETCH {uidSet} (FLAGS)", true, null);
            case 11:
                return ($"UID COPY {uidSet} INBOX", true, null);
            case 12:
                return ("SEARCH ALL", false, null);
            case 13:
                return (@"UID SEARCH UNDELETED", true, null);
            default:
                return ("NOOP", true, null);
        }
    }

    private const string Body = "Subject: model\r\n\r\nbody\r\n";

    /// <summary>Work of another path (delivery, a client on Archive): it reaches INBOX without any session's command.</summary>
    private static async Task ExternalChangeAsync(SelectedHarness h, long archiveId, Random random, List<string> history)
    {
        if (random.Next(2) == 0)
        {
            var uids = await h.AppendAsync(h.Inbox.Id, random.Next(1, 3), random.Next(2) == 0 ? MessageFlags.Seen : MessageFlags.None);
            history.Add($"external: APPEND INBOX -> {string.Join(",", uids)}");
            return;
        }
        var (archived, _) = await h.Store.GetUidsAsync(archiveId);
        if (archived.Length == 0)
        {
            return;
        }
        var moved = archived[random.Next(archived.Length)];
        var result = await h.Store.MoveAsync(archiveId, [moved], h.Inbox.Id);
        history.Add($"external: MOVE Archive {moved} -> INBOX {string.Join(",", result.DestinationUids)}");
    }

    private static async Task CheckAsync(SelectedHarness h, ModelClient client, List<uint> before, uint[] storedBefore, bool allowExpunge, HashSet<int>? ownMoved, string command, List<string> lines)
    {
        Assert.StartsWith(client.LastTag + " OK", lines[^1], StringComparison.Ordinal);
        var (stored, _) = await h.Store.GetUidsAsync(h.Inbox.Id);
        var expected = new SortedSet<uint>(stored);
        if (!allowExpunge)
        {
            // §7.5.1: messages expunged elsewhere keep their sequence numbers until an EXPUNGE may be sent; a MOVE
            // by sequence number still reports its own expunges.
            for (var seq = 1; seq <= before.Count; seq++)
            {
                var uid = before[seq - 1];
                var movedHere = ownMoved is not null && ownMoved.Contains(seq) && storedBefore.Contains(uid);
                if (!movedHere)
                {
                    expected.Add(uid);
                }
            }
        }
        // The session's view (the server side) follows the model, and the client's map, rebuilt from the wire, agrees
        // with it wherever the client was told a UID.
        var server = client.ServerView();
        Assert.Equal(expected, server);
        Assert.Equal(server.Count, client.Uids.Count);
        for (var i = 0; i < server.Count; i++)
        {
            var known = client.Uids[i];
            Assert.True(known == 0 || known == server[i], $"S{client.Index}: sequence number {i + 1} is UID {known} for the client, {server[i]} for the server");
        }
        await AssertFlagsAsync(h, client, requireKnown: false);
        if (command.StartsWith("SEARCH ALL", StringComparison.Ordinal))
        {
            // Every message still in the store, by the numbers the client knows; pending expunges are not matched.
            var found = lines.Find(l => l.StartsWith("* SEARCH", StringComparison.Ordinal)) ?? "* SEARCH";
            var numbers = new List<int>();
            for (var seq = 1; seq <= before.Count; seq++)
            {
                if (stored.Contains(before[seq - 1]))
                {
                    numbers.Add(seq);
                }
            }
            Assert.Equal(("* SEARCH " + string.Join(" ", numbers)).TrimEnd(), found);
        }
    }

    /// <summary>The flags the client was told (or set with .SILENT) equal the store's for every message it knows
    /// that still exists.</summary>
    private static async Task AssertFlagsAsync(SelectedHarness h, ModelClient client, bool requireKnown)
    {
        var (stored, _) = await h.Store.GetUidsAsync(h.Inbox.Id);
        var states = await h.Store.GetFlagsAsync(h.Inbox.Id, stored);
        foreach (var state in states)
        {
            if (!client.Flags.TryGetValue(state.Uid, out var known))
            {
                Assert.False(requireKnown, $"S{client.Index}: flags of UID {state.Uid} never sent");
                continue;
            }
            Assert.True(FlagText(state) == known, $"S{client.Index}: UID {state.Uid} has flags ({FlagText(state)}), the client was told ({known})");
        }
    }

    private static string FlagText(MessageFlagState state)
    {
        var names = new List<string>();
        if ((state.Flags & MessageFlags.Seen) != 0) names.Add(@"\Seen");
        if ((state.Flags & MessageFlags.Answered) != 0) names.Add(@"\Answered");
        if ((state.Flags & MessageFlags.Flagged) != 0) names.Add(@"\Flagged");
        if ((state.Flags & MessageFlags.Deleted) != 0) names.Add(@"\Deleted");
        if ((state.Flags & MessageFlags.Draft) != 0) names.Add(@"\Draft");
        names.AddRange(state.Keywords);
        return Normalize(names);
    }

    internal static string Normalize(IEnumerable<string> flags)
    {
        var sorted = new List<string>(flags);
        sorted.Sort(StringComparer.OrdinalIgnoreCase);
        return string.Join(" ", sorted);
    }

    /// <summary>A client that knows only what the server told it: the sequence number → UID map (0 = a message
    /// announced by EXISTS whose UID it has not been told yet) and the flags of each message.</summary>
    private sealed partial class ModelClient(int index, SelectedClient connection)
    {
        public int Index { get; } = index;

        public List<uint> Uids { get; } = [];

        public Dictionary<uint, string> Flags { get; } = [];

        public string LastTag => connection.LastTag;

        /// <summary>The server session's own sequence map (the oracle for UIDs the client was not told).</summary>
        public List<uint> ServerView() => [.. ((SelectedMailboxView)connection.Connection.Session.SelectedMailbox!).Uids];

        public HashSet<int> SeqsOf(string seqSet)
        {
            var result = new HashSet<int>();
            var parts = seqSet.Split(':');
            var low = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var high = parts.Length == 1 ? low : Uids.Count;
            for (var seq = low; seq <= high; seq++)
            {
                result.Add(seq);
            }
            return result;
        }

        public HashSet<uint> UidsOfSeqSet(string seqSet)
        {
            var result = new HashSet<uint>();
            var parts = seqSet.Split(':');
            var low = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var high = parts.Length == 1 ? low : Uids.Count;
            for (var seq = low; seq <= high; seq++)
            {
                result.Add(Uids[seq - 1]);
            }
            return result;
        }

        /// <summary>Runs a command and applies every untagged response to the view, checking each against the
        /// rules as it arrives.</summary>
        public async Task<List<string>> RunAsync(string command, bool allowExpunge, HashSet<int>? ownMoved = null)
        {
            _lastExpunge = int.MaxValue;
            var lines = await connection.SendAsync(command);
            var silentStore = SilentStore().Match(command);
            foreach (var line in lines)
            {
                Apply(line, allowExpunge, ownMoved);
            }
            if (silentStore.Success && lines[^1].StartsWith(LastTag + " OK", StringComparison.Ordinal))
            {
                ApplySilent(silentStore);
            }
            return lines;
        }

        private int _lastExpunge;

        private void Apply(string line, bool allowExpunge, HashSet<int>? ownMoved)
        {
            var match = Numbered().Match(line);
            if (!match.Success)
            {
                return;
            }
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            switch (match.Groups[2].Value)
            {
                case "EXISTS":
                    Assert.True(n >= Uids.Count, $"S{Index}: EXISTS {n} below the {Uids.Count} messages known");
                    while (Uids.Count < n)
                    {
                        Uids.Add(0);
                    }
                    break;
                case "EXPUNGE":
                    Assert.InRange(n, 1, Uids.Count);
                    var uid = Uids[n - 1];
                    // A MOVE by sequence number reports its own expunges, highest first, so n is still the number the
                    // client named.
                    Assert.True(allowExpunge || (ownMoved is not null && ownMoved.Contains(n) && n < _lastExpunge),
                        $"S{Index}: EXPUNGE {n} (UID {uid}) sent while a command by sequence number runs (RFC 9051 §7.5.1)");
                    _lastExpunge = n;
                    Uids.RemoveAt(n - 1);
                    break;
                case "FETCH":
                    Assert.InRange(n, 1, Uids.Count);
                    var fetchedUid = FetchUid().Match(line);
                    var uidHere = Uids[n - 1];
                    if (fetchedUid.Success)
                    {
                        var told = uint.Parse(fetchedUid.Groups[1].Value, CultureInfo.InvariantCulture);
                        Assert.True(uidHere == 0 || uidHere == told, $"S{Index}: FETCH {n} names UID {told}, the client's map has {uidHere}");
                        Uids[n - 1] = told;
                        uidHere = told;
                    }
                    var flags = FetchFlags().Match(line);
                    if (flags.Success && uidHere != 0)
                    {
                        Flags[uidHere] = Normalize(flags.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    }
                    break;
            }
        }

        /// <summary>.SILENT: the client knows the flags it changed itself (RFC 9051 §6.4.6); the server still owes it
        /// any change made by others.</summary>
        private void ApplySilent(Match store)
        {
            var set = store.Groups[2].Value;
            var uid = store.Groups[1].Success;
            var add = store.Groups[3].Value == "+";
            var flag = store.Groups[4].Value;
            IEnumerable<uint> targets = uid ? UidTargets(set) : UidsOfSeqSet(set);
            foreach (var target in targets)
            {
                if (target == 0 || !Flags.TryGetValue(target, out var text))
                {
                    continue;
                }
                var current = new HashSet<string>(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                if (add) current.Add(flag);
                else current.Remove(flag);
                Flags[target] = Normalize(current);
            }
        }

        private List<uint> UidTargets(string set)
        {
            var parts = set.Split(':');
            var low = parts[0] == "*" ? uint.MaxValue : uint.Parse(parts[0], CultureInfo.InvariantCulture);
            var result = new List<uint>();
            foreach (var uid in Uids)
            {
                if (uid != 0 && (parts.Length == 1 ? uid == low : uid >= low || uid == Uids[^1]))
                {
                    result.Add(uid);
                }
            }
            return result;
        }

        [GeneratedRegex(@"^\* (\d+) (EXISTS|EXPUNGE|FETCH)\b")]
        private static partial Regex Numbered();

        [GeneratedRegex(@"\bUID (\d+)")]
        private static partial Regex FetchUid();

        [GeneratedRegex(@"\bFLAGS \(([^)]*)\)")]
        private static partial Regex FetchFlags();

        [GeneratedRegex(@"^(UID )?STORE (\S+) ([+-])FLAGS\.SILENT \(([^)]+)\)$")]
        private static partial Regex SilentStore();
    }
}

using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// SORT and THREAD over loopback with MailKit (ImapFolder.SortAsync / ThreadAsync, RFC 5256), compared in ORDER with
/// MailKit's own client-side implementation (MessageSorter, MessageThreader) run on the summaries of the same
/// messages — an independent implementation of the same RFC — on the corpus and on a generated mailbox
/// (<see cref="GeneratedMailbox"/>).
/// </summary>
/// <remarks>
/// MailKit deviates from RFC 5256 in known places; each one is normalised here, and only that one (the inputs handed
/// to MailKit are rewritten so its comparison is the RFC's, or its output is put in the RFC's order), with the RFC
/// section that says otherwise:
/// <list type="bullet">
/// <item>Ties: MailKit's sort is unstable; RFC 5256 §3 breaks ties by sequence number ("an implicit sort criterion of
/// sequence number"), which is MailKit's ARRIVAL comparison (it compares <c>Index</c>): it is appended last.</item>
/// <item>ARRIVAL: MailKit compares sequence numbers; RFC 5256 §3 says INTERNALDATE, so ARRIVAL is checked as MailKit's
/// DATE over INTERNALDATE.</item>
/// <item>DATE: MailKit takes the Date as MimeKit parsed it, which ignores a lower-case obs-zone ("cst"); RFC 5256 §2.2
/// (with RFC 5322 §4.3, RFC 5234 §2.3) gives the UTC instant, so the RFC sent date is handed to MailKit.</item>
/// <item>SUBJECT: MailKit compares the whole subject; RFC 5256 §3 SUBJECT is the base subject (§2.1), handed to it
/// (from the reviewed corpus expectations, or by construction for the generated mailbox).</item>
/// <item>FROM/TO/CC: MailKit compares every address as local@domain; RFC 5256 §3 compares the addr-mailbox of the
/// first address only — for a group, its start marker, whose addr-mailbox is the group name (RFC 9051 §7.5.2) —
/// so MailKit gets that one string (as a display name, compared by its string comparison).</item>
/// <item>DISPLAYFROM/DISPLAYTO: MailKit compares display names only, of every address; RFC 5957 §3 falls back to
/// addr-mailbox@addr-host when the first address has no name.</item>
/// <item>Collation: MailKit compares OrdinalIgnoreCase (UTF-16 upper case); RFC 5256 §7 says i;unicode-casemap
/// (RFC 5051: titlecase, then NFKD), so strings are handed to it in NFKD (the same order for every character here).</item>
/// <item>MailKit drops an ENVELOPE address whose host is "" (a domain-less "From: Whomever", sent as
/// (NIL NIL "Whomever" "") because host NIL would mean a group marker, RFC 9051 §7.5.2): for those the reviewed
/// corpus expectation (Letterbox.Mail.Tests/Sorting/CorpusSortKeys.expected.tsv) gives the RFC value.</item>
/// <item>THREAD REFERENCES: MailKit ignores In-Reply-To (RFC 5256 §3: its first id is the parent when there is no
/// References), so it is handed as the reference; MailKit sorts siblings top-down by the order given (default
/// ARRIVAL) where §3 steps 4 and 6 sort by sent date, youngest siblings first, a dummy by its first child: its tree
/// is re-sorted that way; its reply test and base subject (GetThreadableSubject) differ from §2.1 ("FW:", "[fwd: …]",
/// blobs with spaces), so it gets "Re: " + base subject for a reply and the base subject otherwise.</item>
/// <item>THREAD ORDEREDSUBJECT: MailKit applies the REFERENCES subject-merge rules (dummies, reply rules) and skips
/// empty subjects; RFC 5256 §3 ORDEREDSUBJECT makes one thread per base subject (the empty one included) whose
/// earliest message is the root and the others its children, by sent date. MailKit's grouping is kept, and each
/// group is laid out that way.</item>
/// </list>
/// </remarks>
public sealed class SortThreadTests(CorpusFixture corpus, GeneratedMailboxFixture generated) : IClassFixture<CorpusFixture>, IClassFixture<GeneratedMailboxFixture>
{
    private static readonly Lazy<Dictionary<string, string[]>> Expected = new(LoadExpected);

    [Fact]
    public async Task ServerAdvertisesSortAndThread()
    {
        using var client = await corpus.Server.ConnectAsync();
        await client.AuthenticateAsync(corpus.User, corpus.Password);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Sort));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SortDisplay));
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.ESort));
        Assert.Contains(ThreadingAlgorithm.References, client.ThreadingAlgorithms);
        Assert.Contains(ThreadingAlgorithm.OrderedSubject, client.ThreadingAlgorithms);
    }

    public static TheoryData<string, string> SortCases()
    {
        var data = new TheoryData<string, string>();
        string[] criteria =
        [
            "ARRIVAL", "REVERSE ARRIVAL", "DATE", "REVERSE DATE", "SIZE", "REVERSE SIZE", "SUBJECT", "REVERSE SUBJECT",
            "SUBJECT REVERSE DATE", "FROM", "REVERSE FROM", "FROM DATE", "TO", "TO DATE", "CC", "CC DATE",
            "DISPLAYFROM", "REVERSE DISPLAYFROM", "DISPLAYTO", "DISPLAYTO SUBJECT", "SUBJECT FROM SIZE",
        ];
        foreach (var mailbox in new[] { "Corpus", "Generated" })
        {
            foreach (var c in criteria)
            {
                data.Add(mailbox, c);
            }
        }
        return data;
    }

    /// <summary>RFC 5256 §3 SORT / RFC 5957 §4 DISPLAYFROM, DISPLAYTO: the server's order equals MailKit's
    /// MessageSorter on the same messages, with MailKit's deviations from the RFC normalised (see remarks).</summary>
    [Theory]
    [MemberData(nameof(SortCases))]
    public async Task SortOrderMatchesMailKit(string mailbox, string criteria)
    {
        var (client, folder, summaries, views) = await OpenAsync(mailbox);
        using var _ = client;
        var orderBy = OrderByOf(criteria);

        var server = await folder.SortAsync(SearchQuery.All, orderBy);

        var local = MessageSorter.Sort(Normalised(summaries, views, criteria), MailKitOrder(criteria));
        Assert.Equal(summaries.Count, server.Count);
        Assert.Equal(Describe(local.Select(s => s.UniqueId)), Describe(server));
    }

    /// <summary>RFC 5256 §3 THREAD: the server's tree (structure and order) equals MailKit's MessageThreader on the
    /// same messages, with MailKit's deviations normalised (see remarks).</summary>
    [Theory]
    [InlineData("Corpus", ThreadingAlgorithm.References)]
    [InlineData("Corpus", ThreadingAlgorithm.OrderedSubject)]
    [InlineData("Generated", ThreadingAlgorithm.References)]
    [InlineData("Generated", ThreadingAlgorithm.OrderedSubject)]
    public async Task ThreadMatchesMailKit(string mailbox, ThreadingAlgorithm algorithm)
    {
        var (client, folder, summaries, views) = await OpenAsync(mailbox);
        using var _ = client;

        var server = await folder.ThreadAsync(algorithm, SearchQuery.All);

        var byUid = summaries.ToDictionary(s => s.UniqueId.Id);
        foreach (var summary in summaries)
        {
            var view = views[summary.UniqueId.Id];
            var envelope = summary.Envelope!;
            envelope.Date = view.SentDate;
            envelope.Subject = (view.Reply ? "Re: " : "") + Collation(view.BaseSubject);
            if (summary.References is not { Count: > 0 } && FirstId(envelope.InReplyTo) is { } parent)
            {
                var references = summary.References ?? [];
                references.Add(parent);
                ((MessageSummary)summary).References = references;
            }
        }
        // MailKit takes the subject of a dummy from its first child as inserted and merges subjects in the order it met
        // the threads, where RFC 5256 §3 step 4 first sorts by sent date (a dummy's children too) and step 5 walks
        // that order: it is handed the messages in that order. The Message-ID of a later duplicate is removed first,
        // as §3 step 1A keeps a duplicated id on the lowest sequence number only (MailKit: the first it meets), and
        // MailKit gives a message without one a unique id, as step 1A says.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var summary in summaries)
        {
            if (summary.Envelope!.MessageId is { } id && !seen.Add(id))
            {
                summary.Envelope.MessageId = null;
            }
        }
        var inRfcOrder = summaries.OrderBy(s => views[s.UniqueId.Id].SentDate).ThenBy(s => s.Index).ToList();
        var local = MessageThreader.Thread(inRfcOrder, algorithm, [OrderBy.Date, OrderBy.Arrival]);
        var expected = algorithm == ThreadingAlgorithm.References
            ? SortRfc(Convert(local), byUid, views)
            : OrderedSubject(Convert(local), byUid, views);

        Assert.Equal(Render(expected), Render(Convert(server)));
        var uids = new List<uint>();
        Collect(Convert(server), uids);
        Assert.Equal(summaries.Select(s => s.UniqueId.Id).Order(), uids.Order());
    }

    /// <summary>The first Message-ID of an In-Reply-To value as MailKit keeps it (with or without angle brackets).</summary>
    private static string? FirstId(string? inReplyTo)
    {
        if (string.IsNullOrWhiteSpace(inReplyTo)) return null;
        return inReplyTo.Contains('<', StringComparison.Ordinal) ? MimeKit.Utils.MimeUtils.EnumerateReferences(inReplyTo).FirstOrDefault() : inReplyTo.Trim();
    }

    /// <summary>What RFC 5256 says about one message, independent of the server's keys: base subject and reply flag
    /// (§2.1, §3), sent date (§2.2), and the RFC 5957 §3 / RFC 5256 §3 address keys read from MailKit's parse of the
    /// server's ENVELOPE.</summary>
    private sealed record RfcView(string BaseSubject, bool Reply, DateTimeOffset SentDate, string From, string To, string Cc, string DisplayFrom, string DisplayTo);

    private async Task<(ImapClient Client, IMailFolder Folder, IList<IMessageSummary> Summaries, Dictionary<uint, RfcView> Views)> OpenAsync(string mailbox)
    {
        var server = mailbox == "Corpus" ? corpus.Server : generated.Server;
        var client = await server.ConnectAsync();
        await client.AuthenticateAsync(mailbox == "Corpus" ? corpus.User : generated.User, mailbox == "Corpus" ? corpus.Password : generated.Password);
        var folder = await client.GetFolderAsync(mailbox);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await folder.FetchAsync(0, -1,
            MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate |
            MessageSummaryItems.Size | MessageSummaryItems.References);
        var views = new Dictionary<uint, RfcView>();
        if (mailbox == "Corpus")
        {
            Assert.Empty(corpus.AppendErrors);
            var names = corpus.Uids.ToDictionary(p => p.Value, p => p.Key);
            foreach (var summary in summaries)
            {
                var row = Expected.Value[names[summary.UniqueId.Id]];
                var sent = row[2] == "INTERNALDATE" ? summary.InternalDate!.Value : DateTimeOffset.Parse(row[2], CultureInfo.InvariantCulture);
                views[summary.UniqueId.Id] = View(summary, row[1], row[8] == "reply", sent, row);
            }
        }
        else
        {
            foreach (var summary in summaries)
            {
                var message = generated.Messages[generated.Uids.IndexOf(summary.UniqueId.Id)];
                views[summary.UniqueId.Id] = View(summary, message.BaseSubject, message.Reply, message.SentDate ?? summary.InternalDate!.Value, null);
            }
        }
        return (client, folder, summaries, views);
    }

    private static RfcView View(IMessageSummary summary, string baseSubject, bool reply, DateTimeOffset sent, string[]? expected)
    {
        var envelope = summary.Envelope!;
        return new RfcView(baseSubject, reply, sent,
            Mailbox(envelope.From) ?? expected?[3] ?? "",
            Mailbox(envelope.To) ?? expected?[4] ?? "",
            Mailbox(envelope.Cc) ?? expected?[5] ?? "",
            Display(envelope.From) ?? expected?[6] ?? "",
            Display(envelope.To) ?? expected?[7] ?? "");
    }

    /// <summary>RFC 5256 §3: the addr-mailbox of the first address structure (a group's start marker holds the group
    /// name, RFC 9051 §7.5.2); null when MailKit has no address.</summary>
    private static string? Mailbox(InternetAddressList list) => list.Count == 0 ? null : list[0] switch
    {
        GroupAddress group => group.Name,
        MailboxAddress mailbox => mailbox.LocalPart,
        _ => null,
    };

    /// <summary>RFC 5957 §3: the display name if non-empty, else addr-mailbox@addr-host, else addr-mailbox.</summary>
    private static string? Display(InternetAddressList list) => list.Count == 0 ? null : list[0] switch
    {
        GroupAddress group => group.Name,
        MailboxAddress { Name.Length: > 0 } mailbox => mailbox.Name,
        MailboxAddress mailbox => mailbox.Domain is { Length: > 0 } ? mailbox.LocalPart + "@" + mailbox.Domain : mailbox.LocalPart,
        _ => null,
    };

    /// <summary>Hands MailKit the RFC value of each key used by <paramref name="criteria"/> (see remarks): FROM and
    /// DISPLAYFROM in the From slot, TO, CC and DISPLAYTO in the To slot, as the one address's display name.</summary>
    private static IList<IMessageSummary> Normalised(IList<IMessageSummary> summaries, Dictionary<uint, RfcView> views, string criteria)
    {
        var words = criteria.Split(' ');
        foreach (var summary in summaries)
        {
            var view = views[summary.UniqueId.Id];
            var envelope = summary.Envelope!;
            envelope.Date = words.Contains("ARRIVAL") ? summary.InternalDate : view.SentDate;
            envelope.Subject = Collation(view.BaseSubject);
            var from = words.Contains("DISPLAYFROM") ? view.DisplayFrom : view.From;
            var to = words.Contains("DISPLAYTO") ? view.DisplayTo : words.Contains("CC") ? view.Cc : view.To;
            envelope.From.Clear();
            envelope.From.Add(new MailboxAddress(Collation(from), "x@x"));
            envelope.To.Clear();
            envelope.To.Add(new MailboxAddress(Collation(to), "x@x"));
        }
        return summaries;
    }

    /// <summary>RFC 5256 §7: i;unicode-casemap (RFC 5051) puts strings in NFKD before comparing; MailKit's
    /// OrdinalIgnoreCase then upper-cases them as the titlecase mapping does for every character in these mailboxes.
    /// .NET's Normalize does nothing under InvariantGlobalization (as these tests run), so the precomposed letters
    /// these mailboxes use are decomposed from this table (Unicode canonical decompositions); any other Latin letter
    /// with a decomposition fails the test rather than compare wrongly.</summary>
    private static string Collation(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (Decompositions.TryGetValue(c, out var decomposed))
            {
                text.Append(decomposed);
            }
            else
            {
                Assert.False(c is >= '\u00C0' and <= '\u024F' and not '\u00D7' and not '\u00F7' and not '\u00DF', $"no decomposition known for U+{(int)c:X4} in \"{value}\"");
                text.Append(c);
            }
        }
        return text.ToString();
    }

    private static readonly Dictionary<char, string> Decompositions = new()
    {
        ['\u00C4'] = "A\u0308", ['\u00D6'] = "O\u0308", ['\u00DC'] = "U\u0308", ['\u00E4'] = "a\u0308", ['\u00F6'] = "o\u0308",
        ['\u00FC'] = "u\u0308", ['\u00EF'] = "i\u0308", ['\u00E9'] = "e\u0301", ['\u00C9'] = "E\u0301", ['\u00E8'] = "e\u0300",
        ['\u00E0'] = "a\u0300", ['\u00E7'] = "c\u0327",
    };

    /// <summary>The criteria as MailKit sorts them (see remarks): ARRIVAL as DATE over INTERNALDATE; FROM, TO, CC as
    /// the display comparison of the normalised slot; then sequence order, RFC 5256 §3's implicit last criterion.</summary>
    private static List<OrderBy> MailKitOrder(string criteria)
    {
        var list = OrderByOf(criteria);
        for (var i = 0; i < list.Count; i++)
        {
            var type = list[i].Type switch
            {
                OrderByType.Arrival => OrderByType.Date,
                OrderByType.From => OrderByType.DisplayFrom,
                OrderByType.To or OrderByType.Cc => OrderByType.DisplayTo,
                var t => t,
            };
            list[i] = new OrderBy(type, list[i].Order);
        }
        list.Add(OrderBy.Arrival);
        return list;
    }

    private static List<OrderBy> OrderByOf(string criteria)
    {
        var list = new List<OrderBy>();
        var reverse = false;
        foreach (var word in criteria.Split(' '))
        {
            if (word == "REVERSE")
            {
                reverse = true;
                continue;
            }
            var type = word switch
            {
                "DATE" => OrderByType.Date,
                "ARRIVAL" => OrderByType.Arrival,
                "SIZE" => OrderByType.Size,
                "SUBJECT" => OrderByType.Subject,
                "FROM" => OrderByType.From,
                "TO" => OrderByType.To,
                "CC" => OrderByType.Cc,
                "DISPLAYFROM" => OrderByType.DisplayFrom,
                "DISPLAYTO" => OrderByType.DisplayTo,
                _ => throw new ArgumentException(word),
            };
            list.Add(new OrderBy(type, reverse ? SortOrder.Descending : SortOrder.Ascending));
            reverse = false;
        }
        return list;
    }

    /// <summary>A thread node: a message UID or a dummy (null), and its children.</summary>
    private sealed record Node(uint? Uid, List<Node> Children);

    private static List<Node> Convert(IList<MessageThread> threads) =>
        threads.Select(t => new Node(t.UniqueId?.Id, Convert(t.Children))).ToList();

    /// <summary>RFC 5256 §3 steps 4 and 6: siblings by sent date then sequence number (§2.2), the youngest set first;
    /// a dummy sorts as its first child.</summary>
    private static List<Node> SortRfc(List<Node> nodes, Dictionary<uint, IMessageSummary> byUid, Dictionary<uint, RfcView> views)
    {
        foreach (var node in nodes)
        {
            var children = SortRfc(node.Children, byUid, views);
            node.Children.Clear();
            node.Children.AddRange(children);
        }
        return nodes.OrderBy(n => Key(n, byUid, views).Date).ThenBy(n => Key(n, byUid, views).Index).ToList();
    }

    private static (DateTimeOffset Date, int Index) Key(Node node, Dictionary<uint, IMessageSummary> byUid, Dictionary<uint, RfcView> views)
    {
        while (node.Uid is null)
        {
            node = node.Children[0];
        }
        return (views[node.Uid.Value].SentDate, byUid[node.Uid.Value].Index);
    }

    /// <summary>RFC 5256 §3 ORDEREDSUBJECT from MailKit's grouping: each thread's messages (all empty base subjects
    /// form one thread) by sent date and sequence; the first is the root, the rest its children; threads by their
    /// first message.</summary>
    private static List<Node> OrderedSubject(List<Node> threads, Dictionary<uint, IMessageSummary> byUid, Dictionary<uint, RfcView> views)
    {
        var groups = new List<List<uint>>();
        List<uint>? empty = null;
        foreach (var thread in threads)
        {
            var uids = new List<uint>();
            Collect([thread], uids);
            if (uids.Count == 1 && views[uids[0]].BaseSubject.Length == 0)
            {
                if (empty is null)
                {
                    empty = [];
                    groups.Add(empty);
                }
                empty.AddRange(uids);
                continue;
            }
            groups.Add(uids);
        }
        var result = new List<Node>();
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(u => views[u].SentDate).ThenBy(u => byUid[u].Index).ToList();
            result.Add(new Node(ordered[0], ordered.Skip(1).Select(u => new Node(u, [])).ToList()));
        }
        return result.OrderBy(n => views[n.Uid!.Value].SentDate).ThenBy(n => byUid[n.Uid!.Value].Index).ToList();
    }

    private static void Collect(IEnumerable<Node> nodes, List<uint> uids)
    {
        foreach (var node in nodes)
        {
            if (node.Uid is { } uid) uids.Add(uid);
            Collect(node.Children, uids);
        }
    }

    private static string Describe(IEnumerable<UniqueId> uids) => string.Join(' ', uids.Select(u => u.Id));

    private static string Render(List<Node> threads)
    {
        var text = new StringBuilder();
        foreach (var thread in threads)
        {
            Render(thread, text);
        }
        return text.ToString();
    }

    private static void Render(Node node, StringBuilder text)
    {
        text.Append('(').Append(node.Uid?.ToString(CultureInfo.InvariantCulture) ?? "-");
        foreach (var child in node.Children)
        {
            Render(child, text);
        }
        text.Append(')');
    }

    private static Dictionary<string, string[]> LoadExpected()
    {
        var path = Path.Combine(Corpus.RepositoryRoot, "tests", "Letterbox.Mail.Tests", "Sorting", "CorpusSortKeys.expected.tsv");
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            rows.Add(fields[0], fields);
        }
        return rows;
    }
}

/// <summary>A server with the <see cref="GeneratedMailbox"/> messages in mailbox "Generated" (APPENDed with their
/// INTERNALDATEs, in order); <see cref="Uids"/>[i] is the UID of message i.</summary>
public sealed class GeneratedMailboxFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public string User { get; private set; } = "";
    public string Password { get; private set; } = "";
    internal List<GeneratedMailbox.Message> Messages { get; } = GeneratedMailbox.Create();
    public List<uint> Uids { get; } = [];

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        (User, Password) = await Server.AddUserAsync("generated");
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(User, Password);
        Assert.True((await raw.CommandAsync("c", "CREATE Generated")).IsOk);
        foreach (var message in Messages)
        {
            var response = await raw.AppendAsync("a", "Generated", message.Bytes, GeneratedMailbox.AppendDate(message.InternalDate));
            Assert.True(response.IsOk, response.ToString());
            Uids.Add(uint.Parse(response.Tagged.Split("[APPENDUID ")[1].Split(']')[0].Split(' ')[1], CultureInfo.InvariantCulture));
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

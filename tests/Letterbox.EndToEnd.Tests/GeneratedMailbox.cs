using System.Globalization;
using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// A generated mailbox for SORT/THREAD comparisons (issue 6): seeded-random messages with Re:/Fwd:/[list]/(fwd)
/// subjects, equal sent dates written in different zones, missing and unparsable Date headers, INTERNALDATEs out of
/// mailbox order, missing and group addresses, missing and duplicated Message-IDs, References chains (some truncated),
/// In-Reply-To only, references to absent messages, self references and two-message reference loops. Each message
/// carries what RFC 5256 says about it by construction: its base subject (§2.1), whether it is a reply or forward
/// (§3 REFERENCES) and its sent date (§2.2).
/// </summary>
/// <remarks>Reference loops are at most two messages long: MailKit's MessageThreader only checks direct children
/// when it refuses a loop, where RFC 5256 §3 step 1A refuses any descendant, so a longer loop would make it build
/// a cycle. Longer loops are covered by the threader unit tests.</remarks>
internal static class GeneratedMailbox
{
    /// <summary>One generated message: its bytes, the INTERNALDATE to APPEND it with, and the RFC 5256 view.</summary>
    public sealed record Message(byte[] Bytes, DateTimeOffset InternalDate, string BaseSubject, bool Reply, DateTimeOffset? SentDate);

    private static readonly string[] Bases = ["alpha", "Alpha", "beta gamma", "\u00dcn\u00efc\u00f6d\u00e9", "delta", "Zeta", ""];

    // (prefix, suffix, reply): RFC 5256 §2.1 leaves the base subject after removing each.
    private static readonly (string Prefix, string Suffix, bool Reply)[] Artifacts =
    [
        ("", "", false), ("", "", false), ("Re: ", "", true), ("RE: ", "", true), ("Fwd: ", "", true), ("fw: ", "", true),
        ("[list] ", "", false), ("[list] Re: ", "", true), ("Re[2]: ", "", true), ("Re: Re: ", "", true),
        ("", " (fwd)", true), ("[fwd: ", "]", true), ("[PATCH v2] ", "", false), ("  ", "  ", false),
    ];

    // Equal instants written differently (RFC 5256 §2.2 compares in UTC), an obs-zone, one without zone name case.
    private static readonly (string Header, DateTimeOffset Utc)[] Dates =
    [
        ("Mon, 1 Jan 2024 10:00:00 +0000", new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero)),
        ("Mon, 1 Jan 2024 11:00:00 +0100", new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero)),
        ("Mon, 1 Jan 2024 05:00:00 EST", new(2024, 1, 1, 10, 0, 0, TimeSpan.Zero)),
        ("Tue, 2 Jan 2024 09:30:00 -0700", new(2024, 1, 2, 16, 30, 0, TimeSpan.Zero)),
        ("Sun, 31 Dec 2023 23:59:59 +0000", new(2023, 12, 31, 23, 59, 59, TimeSpan.Zero)),
        ("Wed, 3 Jan 2024 08:00:00 GMT", new(2024, 1, 3, 8, 0, 0, TimeSpan.Zero)),
    ];

    private static readonly DateTimeOffset[] InternalDates =
    [
        new(2024, 2, 1, 12, 0, 0, TimeSpan.Zero), new(2024, 1, 15, 12, 0, 0, TimeSpan.Zero),
        new(2024, 2, 1, 12, 0, 0, TimeSpan.Zero), new(2023, 6, 1, 0, 0, 0, TimeSpan.Zero),
    ];

    private static readonly string?[] Addresses =
    [
        "Alice <alice@example.com>", "bob@example.com", "\"Zed\" <aaa@example.com>", "=?utf-8?q?=C3=89mile?= <emile@example.org>",
        "carol@example.net", "\"bob\" <Bob@example.com>", "undisclosed-recipients:;", null,
    ];

    /// <summary>The messages, in mailbox order (deterministic for a seed).</summary>
    public static List<Message> Create(int count = 80, int seed = 5256)
    {
        var random = new Random(seed);
        var ids = new List<string?>(count);
        var chains = new List<List<string>>(count);
        var messages = new List<Message>(count);
        for (var i = 0; i < count; i++)
        {
            var lines = new List<string>();

            var baseSubject = Bases[random.Next(Bases.Length)];
            var (prefix, suffix, reply) = baseSubject.Length == 0 ? (random.Next(2) == 0 ? ("Re: ", "", true) : ("", "", false)) : Artifacts[random.Next(Artifacts.Length)];
            if (random.Next(8) != 0)
            {
                lines.Add("Subject: " + Encode(prefix + baseSubject + suffix));
            }
            else
            {
                (baseSubject, reply) = ("", false); // no Subject header: the empty string (RFC 5256 §3)
            }

            DateTimeOffset? sent = null;
            switch (random.Next(10))
            {
                case 0:
                    break; // no Date: INTERNALDATE is the sent date
                case 1:
                    lines.Add("Date: sometime soon");
                    break;
                default:
                    var date = Dates[random.Next(Dates.Length)];
                    lines.Add("Date: " + date.Header);
                    sent = date.Utc;
                    break;
            }

            AddAddress(lines, "From", random);
            AddAddress(lines, "To", random);
            if (random.Next(3) == 0) AddAddress(lines, "Cc", random);

            // Message-ID: usually unique, sometimes missing or a duplicate of an earlier one (RFC 5256 §3 step 1A).
            string? id = null;
            var roll = random.Next(10);
            if (roll == 0 && ids.Count > 0)
            {
                id = ids[random.Next(ids.Count)];
            }
            else if (roll != 1)
            {
                id = $"m{i}@gen.example";
            }
            if (id is not null) lines.Add($"Message-ID: <{id}>");
            ids.Add(id);

            // References: the chain of an earlier message plus that message (consistent ancestry), sometimes
            // truncated, or only In-Reply-To, or an absent message, or the message itself.
            var chain = new List<string>();
            switch (random.Next(8))
            {
                case 0 or 1 or 2 when i > 0:
                    var parent = random.Next(i);
                    chain.AddRange(chains[parent]);
                    if (ids[parent] is { } parentId) chain.Add(parentId);
                    if (chain.Count > 2 && random.Next(3) == 0) chain.RemoveRange(0, chain.Count - 2);
                    if (chain.Count > 0)
                    {
                        if (random.Next(4) == 0)
                        {
                            lines.Add($"In-Reply-To: <{chain[^1]}>"); // no References: the first In-Reply-To id
                        }
                        else
                        {
                            lines.Add("References: " + string.Join(" ", chain.Select(c => $"<{c}>")));
                        }
                    }
                    break;
                case 3:
                    chain.Add($"absent{random.Next(4)}@gen.example");
                    lines.Add($"References: <{chain[0]}>");
                    break;
                case 4 when id is not null && random.Next(3) == 0:
                    lines.Add($"References: <{id}>"); // a self reference: no link (step 1B, no loops)
                    break;
            }
            chains.Add(chain);

            lines.Add("MIME-Version: 1.0");
            lines.Add("Content-Type: text/plain; charset=utf-8");
            lines.Add("");
            lines.Add(new string('x', random.Next(1, 400)));
            var internalDate = InternalDates[random.Next(InternalDates.Length)].AddSeconds(random.Next(3));
            messages.Add(new Message(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"), internalDate, baseSubject, reply, sent));
        }

        // Two-message loops: each of a pair references only the other (RFC 5256 §3 steps 1A/1B refuse the link
        // that would close the loop).
        for (var pair = 0; pair < 2; pair++)
        {
            var a = $"loop{pair}a@gen.example";
            var b = $"loop{pair}b@gen.example";
            messages.Add(Looped(a, b, "loop " + pair, InternalDates[0]));
            messages.Add(Looped(b, a, "loop " + pair, InternalDates[1]));
        }
        return messages;
    }

    private static Message Looped(string id, string references, string subject, DateTimeOffset internalDate)
    {
        var text = $"Subject: Re: {subject}\r\nDate: Thu, 4 Jan 2024 10:00:00 +0000\r\nFrom: loop@example.com\r\nMessage-ID: <{id}>\r\nReferences: <{references}>\r\n\r\nloop\r\n";
        return new Message(Encoding.UTF8.GetBytes(text), internalDate, subject, true, new DateTimeOffset(2024, 1, 4, 10, 0, 0, TimeSpan.Zero));
    }

    private static void AddAddress(List<string> lines, string field, Random random)
    {
        if (Addresses[random.Next(Addresses.Length)] is { } address) lines.Add(field + ": " + address);
    }

    /// <summary>Non-ASCII subjects as one RFC 2047 word.</summary>
    private static string Encode(string subject) =>
        subject.All(c => c < 0x80) ? subject : "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(subject)) + "?=";

    /// <summary>The APPEND date-time argument (RFC 9051 §6.3.12).</summary>
    public static string AppendDate(DateTimeOffset date) =>
        "\"" + date.ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000\"";
}

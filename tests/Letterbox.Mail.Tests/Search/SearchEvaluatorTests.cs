using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Mail.Tests.Search;

public sealed class SearchEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private const string Plain =
        "From: =?ISO-8859-1?Q?J=F6rg_M=FCller?= <joerg@example.de>\r\n" +
        "To: \"Team\" <team@example.com>, bob@example.net\r\n" +
        "Cc: carol@example.org\r\n" +
        "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=\r\n" +
        "Date: Sat, 09 Mar 2024 23:30:00 -0800\r\n" +
        "X-Empty:\r\n" +
        "X-Custom: Some Value\r\n" +
        "Content-Type: text/plain; charset=iso-8859-1\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Sch=F6ne Gr=FC=DFe, the secret word is =\r\nswordfish.\r\n";

    private const string Attachment =
        "From: alice@example.com\r\n" +
        "Subject: report\r\n" +
        "Content-Type: multipart/mixed; boundary=zz\r\n" +
        "\r\n" +
        "--zz\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "w4Bsb8OgIGJhc2U2NCB0ZXh0\r\n" + // "Àloà base64 text"
        "--zz\r\n" +
        "Content-Type: application/octet-stream\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "aGlkZGVuIHNlY3JldA==\r\n" + // "hidden secret"
        "--zz--\r\n";

    /// <summary>A bounce (RFC 3464): the delivery-status and feedback-report parts are terminal message/* parts,
    /// which RFC 9051 §6.4.4 does not let a server skip (only "terminal content media types other than TEXT and
    /// MESSAGE"); text/rfc822-headers is a text part.</summary>
    private const string Bounce =
        "From: MAILER-DAEMON@example.com\r\n" +
        "To: alice@example.com\r\n" +
        "Subject: Undelivered Mail Returned to Sender\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/report; report-type=delivery-status; boundary=rb\r\n" +
        "\r\n" +
        "--rb\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "This is the mail system.\r\n" +
        "--rb\r\n" +
        "Content-Type: message/delivery-status\r\n" +
        "\r\n" +
        "Reporting-MTA: dns; mx.example.com\r\n" +
        "\r\n" +
        "Final-Recipient: rfc822; nobody@example.net\r\n" +
        "Action: failed\r\n" +
        "Status: 5.1.1\r\n" +
        "--rb\r\n" +
        "Content-Type: message/feedback-report\r\n" +
        "Content-Transfer-Encoding: base64\r\n" +
        "\r\n" +
        "RmVlZGJhY2stVHlwZTogYWJ1c2U=\r\n" + // "Feedback-Type: abuse"
        "--rb\r\n" +
        "Content-Type: text/rfc822-headers\r\n" +
        "\r\n" +
        "From: alice@example.com\r\n" +
        "Subject: Quarterly figures\r\n" +
        "--rb--\r\n";

    /// <summary>Outlook 2000's UTF-7 (RFC 2152) in encoded words and as a body charset (as corpus eml/legacy/001.eml).</summary>
    private const string Utf7 =
        "From: \"Doug\" <doug@example.com>\r\n" +
        "To: \"Joe\" <jblow@example.com>,\r\n\t=?utf-7?B?SitBUHctcmdlbiBTY2htK0FQdy1yZ2Vu?= <schmuergen@example.com>\r\n" +
        "Subject: =?utf-7?Q?Die_Hasen_und_die_Fr+APY-sche?=\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=\"utf-7\"\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "Sch+APY-ne Gr+APwA3w-e=20\r\n";

    /// <summary>A forward: a MIME part header and an encapsulated message/rfc822 with its own header fields.</summary>
    private const string Forward =
        "From: dave@example.com\r\n" +
        "Subject: fwd\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=fw\r\n" +
        "\r\n" +
        "--fw\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "see below\r\n" +
        "--fw\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "Content-Disposition: attachment; filename=\"orig.eml\"\r\n" +
        "\r\n" +
        "From: carol@example.org\r\n" +
        "Subject: Inner topic\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "inner words\r\n" +
        "--fw--\r\n";

    public static IEnumerable<object[]> Cases()
    {
        // key, message, expected
        yield return [AllKey.Instance, Plain, true];
        yield return [new FlagKey(MessageFlags.Seen, true), Plain, true];
        yield return [new FlagKey(MessageFlags.Seen, false), Plain, false];
        yield return [new FlagKey(MessageFlags.Deleted, true), Plain, false];
        yield return [new FlagKey(MessageFlags.Deleted, false), Plain, true];
        yield return [new FlagKey(MessageFlags.Answered, true), Plain, false];
        yield return [new FlagKey(MessageFlags.Flagged, true), Plain, true];
        yield return [new FlagKey(MessageFlags.Draft, false), Plain, true];
        yield return [new KeywordKey("$JUNK", true), Plain, true];
        yield return [new KeywordKey("$Phishing", true), Plain, false];
        yield return [new KeywordKey("$Phishing", false), Plain, true];
        yield return [new RecentKey(true), Plain, false];
        yield return [new RecentKey(false), Plain, true];
        yield return [new HeaderKey("Subject", "grüße AUS"), Plain, true];
        yield return [new HeaderKey("Subject", "R3LD"), Plain, false];
        yield return [new HeaderKey("FROM", "jörg müller"), Plain, true];
        yield return [new HeaderKey("From", "JOERG@EXAMPLE.DE"), Plain, true];
        yield return [new HeaderKey("From", "Müller <joerg@"), Plain, true];
        yield return [new HeaderKey("To", "team <team@example.com>"), Plain, true];
        yield return [new HeaderKey("To", "bob@"), Plain, true];
        yield return [new HeaderKey("Cc", "carol"), Plain, true];
        yield return [new HeaderKey("Bcc", ""), Plain, false];
        yield return [new HeaderKey("Bcc", "carol"), Plain, false];
        yield return [new HeaderKey("X-Empty", ""), Plain, true];
        yield return [new HeaderKey("x-custom", "some value"), Plain, true];
        yield return [new HeaderKey("X-Missing", ""), Plain, false];
        yield return [new BodyKey("schöne grüße"), Plain, true];
        yield return [new BodyKey("SWORDFISH"), Plain, true];
        yield return [new BodyKey("=F6"), Plain, false];
        yield return [new BodyKey("Sample"), Plain, false];
        yield return [new BodyKey("joerg"), Plain, false];
        yield return [new TextKey("joerg"), Plain, true];
        yield return [new TextKey("swordfish"), Plain, true];
        yield return [new TextKey("nowhere"), Plain, false];
        yield return [new BodyKey("àloà BASE64"), Attachment, true];
        yield return [new BodyKey("hidden"), Attachment, false];
        yield return [new BodyKey("aGlkZGVu"), Attachment, false];
        yield return [new TextKey("report"), Attachment, true];
        // RFC 9051 §6.4.4: BODY "doesn't match any header fields", a MIME part's neither; TEXT searches "the header
        // (including MIME header fields)".
        yield return [new BodyKey("application/octet-stream"), Attachment, false];
        yield return [new TextKey("application/octet-stream"), Attachment, true];
        yield return [new BodyKey("Content-Type"), Attachment, false];
        yield return [new HeaderKey("Content-Transfer-Encoding", "base64"), Attachment, false]; // a part's field, not the message's
        yield return [new BodyKey("orig.eml"), Forward, false];
        yield return [new TextKey("orig.eml"), Forward, true];
        yield return [new BodyKey("filename"), Forward, false];
        yield return [new TextKey("filename"), Forward, true];
        yield return [new HeaderKey("Content-Disposition", ""), Forward, false];
        yield return [new BodyKey("inner words"), Forward, true];
        yield return [new BodyKey("inner topic"), Forward, false]; // the encapsulated message's header
        yield return [new TextKey("Subject: inner topic"), Forward, true];
        yield return [new HeaderKey("Subject", "inner"), Forward, false]; // HEADER is the message's own fields
        yield return [new HeaderKey("From", "carol"), Forward, false];
        yield return [new HeaderKey("", "inner"), Forward, false];
        yield return [new HeaderKey("", ""), Forward, false];
        // Terminal message/* parts are body text (RFC 9051 §6.4.4 lets a server skip only other terminal types).
        yield return [new TextKey("Final-Recipient"), Bounce, true];
        yield return [new BodyKey("nobody@example.net"), Bounce, true];
        yield return [new BodyKey("reporting-mta: dns"), Bounce, true];
        yield return [new TextKey("Feedback-Type: abuse"), Bounce, true]; // base64 undone
        yield return [new BodyKey("RmVlZGJh"), Bounce, false];
        yield return [new BodyKey("subject: quarterly figures"), Bounce, true]; // text/rfc822-headers is text
        yield return [new HeaderKey("Subject", "quarterly"), Bounce, false];
        yield return [new BodyKey("message/delivery-status"), Bounce, false];
        yield return [new TextKey("message/delivery-status"), Bounce, true];
        // UTF-7 is decoded like every charset: "header and body strings ... MUST be decoded before comparing".
        yield return [new HeaderKey("Subject", "frösche"), Utf7, true];
        yield return [new HeaderKey("Subject", "+APY"), Utf7, false];
        yield return [new HeaderKey("To", "Jürgen"), Utf7, true];
        yield return [new HeaderKey("To", "jürgen schmürgen <schmuergen@example.com>"), Utf7, true];
        yield return [new HeaderKey("To", "joe"), Utf7, true];
        yield return [new BodyKey("schöne grüße"), Utf7, true];
        yield return [new BodyKey("+APw"), Utf7, false];
        yield return [new TextKey("GRÜSSE"), Utf7, false]; // no one-to-many folding (see SearchDocument)
        // Date: is Sat, 09 Mar 2024 -0800 (already 10 Mar in UTC): SENT* uses the header's own date.
        yield return [new DateKey(DateField.Sent, DateComparison.On, new DateOnly(2024, 3, 9)), Plain, true];
        yield return [new DateKey(DateField.Sent, DateComparison.On, new DateOnly(2024, 3, 10)), Plain, false];
        yield return [new DateKey(DateField.Sent, DateComparison.Before, new DateOnly(2024, 3, 10)), Plain, true];
        yield return [new DateKey(DateField.Sent, DateComparison.Before, new DateOnly(2024, 3, 9)), Plain, false];
        yield return [new DateKey(DateField.Sent, DateComparison.Since, new DateOnly(2024, 3, 9)), Plain, true];
        yield return [new DateKey(DateField.Sent, DateComparison.Since, new DateOnly(2024, 3, 10)), Plain, false];
        yield return [new DateKey(DateField.Sent, DateComparison.Since, new DateOnly(2000, 1, 1)), Attachment, false];
        // INTERNALDATE is 2024-03-08T23:00+02:00 (21:00 UTC the 8th): its own date is the 8th.
        yield return [new DateKey(DateField.Internal, DateComparison.On, new DateOnly(2024, 3, 8)), Plain, true];
        yield return [new DateKey(DateField.Internal, DateComparison.Before, new DateOnly(2024, 3, 8)), Plain, false];
        yield return [new DateKey(DateField.Internal, DateComparison.Before, new DateOnly(2024, 3, 9)), Plain, true];
        yield return [new DateKey(DateField.Internal, DateComparison.Since, new DateOnly(2024, 3, 8)), Plain, true];
        yield return [new DateKey(DateField.Internal, DateComparison.Since, new DateOnly(2024, 3, 9)), Plain, false];
        yield return [new SizeKey(true, 100), Plain, true];
        yield return [new SizeKey(true, 100_000), Plain, false];
        yield return [new SizeKey(false, 100_000), Plain, true];
        yield return [new SizeKey(false, 10), Plain, false];
        // Age at Now is 39 h = 140400 s.
        yield return [new WithinKey(true, 140_399), Plain, true];
        yield return [new WithinKey(true, 140_400), Plain, false];
        yield return [new WithinKey(false, 140_400), Plain, true];
        yield return [new WithinKey(false, 3600), Plain, false];
        yield return [new ModSeqKey(42), Plain, true];
        yield return [new ModSeqKey(43), Plain, false];
        yield return [new UidSetKey([1, 3, 7, 9, 12]), Plain, true];
        yield return [new UidSetKey([1, 3, 9, 12]), Plain, false];
        yield return [new UidSetKey([]), Plain, false];
        yield return [new AndKey([new FlagKey(MessageFlags.Seen, true), new BodyKey("swordfish")]), Plain, true];
        yield return [new AndKey([new FlagKey(MessageFlags.Seen, true), new BodyKey("marlin")]), Plain, false];
        yield return [new AndKey([]), Plain, true];
        yield return [new OrKey(new BodyKey("marlin"), new HeaderKey("Cc", "carol")), Plain, true];
        yield return [new OrKey(new BodyKey("marlin"), new FlagKey(MessageFlags.Seen, false)), Plain, false];
        yield return [new NotKey(new BodyKey("marlin")), Plain, true];
        yield return [new NotKey(new HeaderKey("Subject", "aus")), Plain, false];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryKeyMatchesAsRfc9051Says(SearchKey key, string message, bool expected)
    {
        var candidate = new Candidate(message);
        Assert.Equal(expected, await new SearchEvaluator().MatchesAsync(key, candidate, Now));
        Assert.InRange(candidate.Opens, 0, 1);
    }

    [Fact]
    public async Task CachedKeysDoNotOpenTheMessage()
    {
        var candidate = new Candidate(Plain);
        var key = new OrKey(new FlagKey(MessageFlags.Seen, true), new BodyKey("x"));
        Assert.True(await new SearchEvaluator().MatchesAsync(key, candidate, Now));
        var and = new AndKey([new FlagKey(MessageFlags.Deleted, true), new TextKey("x"), new HeaderKey("To", "y")]);
        Assert.False(await new SearchEvaluator().MatchesAsync(and, candidate, Now));
        Assert.Equal(0, candidate.Opens);
    }

    [Fact]
    public async Task ManyContentKeysOpenTheMessageOnce()
    {
        var candidate = new Candidate(Plain);
        var key = new AndKey([new BodyKey("swordfish"), new HeaderKey("Subject", "aus"), new TextKey("carol"), new NotKey(new BodyKey("marlin"))]);
        Assert.True(await new SearchEvaluator().MatchesAsync(key, candidate, Now));
        Assert.Equal(1, candidate.Opens);
    }

    [Fact]
    public async Task SequenceSetKeyIsRejected()
    {
        var key = new SequenceSetKey(new SequenceSet([(1u, 5u)]), false);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await new SearchEvaluator().MatchesAsync(key, new Candidate(Plain), Now));
    }

    [Fact]
    public async Task UnparseableBytesMatchNoContentKey()
    {
        var candidate = new Candidate("\0\0\0 not mail");
        Assert.False(await new SearchEvaluator().MatchesAsync(new BodyKey("zzz"), candidate, Now));
        Assert.True(await new SearchEvaluator().MatchesAsync(new NotKey(new HeaderKey("Subject", "x")), candidate, Now));
    }

    private sealed class Candidate(string message) : ISearchCandidate
    {
        private readonly byte[] _bytes = Encoding.UTF8.GetBytes(message);

        public int Opens { get; private set; }
        public uint Uid => 7;
        public MessageFlags Flags => MessageFlags.Seen | MessageFlags.Flagged;
        public IReadOnlyList<string> Keywords { get; } = ["$Junk", "work"];
        public ulong ModSeq => 42;
        public DateTimeOffset InternalDate => new(2024, 3, 8, 23, 0, 0, TimeSpan.FromHours(2));
        public long Size => _bytes.Length;
        public MessageStructure Structure => MessageAnalyzer.Analyze(new MemoryStream(_bytes));

        public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            Opens++;
            return ValueTask.FromResult<Stream>(new MemoryStream(_bytes, writable: false));
        }
    }
}

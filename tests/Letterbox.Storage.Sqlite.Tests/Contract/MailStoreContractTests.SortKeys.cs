using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;

namespace Letterbox.Storage.Tests.Contract;

public abstract partial class MailStoreContractTests
{
    protected static byte[] SortMessage(string from, string subject, string date, string messageId, string? references = null, string? inReplyTo = null)
    {
        var text = new StringBuilder();
        text.Append("From: ").Append(from).Append("\r\nTo: \"Bob B\" <bob@example.org>\r\nCc: carol@example.org\r\n");
        text.Append("Subject: ").Append(subject).Append("\r\nDate: ").Append(date).Append("\r\nMessage-ID: ").Append(messageId).Append("\r\n");
        if (references is not null) text.Append("References: ").Append(references).Append("\r\n");
        if (inReplyTo is not null) text.Append("In-Reply-To: ").Append(inReplyTo).Append("\r\n");
        text.Append("\r\nBody.\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    protected static readonly byte[][] SortMessages =
    [
        SortMessage("Zed <zed@example.org>", "Re: [list] Hello", "Mon, 1 Jan 2024 10:00:00 +0100", "<a@x>", "<root@x> <\"p\"@x>"),
        SortMessage("amy@example.org", "=?UTF-8?Q?=C3=A9t=C3=A9?= (fwd)", "garbage", "<b@x>", inReplyTo: "<a@x> (Zed's message)"),
        SortMessage("Bea <bea@example.org>", "hello", "Sun, 31 Dec 2023 23:00:00 -0800", "<c@x>"),
    ];

    private async Task<uint[]> AppendSortMessagesAsync(long mailboxId)
    {
        var requests = new List<AppendRequest>();
        var date = new DateTimeOffset(2024, 2, 1, 8, 0, 0, TimeSpan.FromHours(2));
        foreach (var bytes in SortMessages)
        {
            requests.Add(new AppendRequest(await StageAsync(bytes), MessageFlags.None, [], date));
        }
        var result = await Store.AppendAsync(mailboxId, requests);
        return [.. result.Uids];
    }

    /// <summary>The keys a store returns are those the analyzer computes from the same bytes (RFC 5256 §2.1, §2.2,
    /// §3; RFC 5957 §3), in UID order, with the sent date falling back to INTERNALDATE (§2.2).</summary>
    [Fact]
    public async Task SortKeysAreTheAnalyzersKeysInUidOrder()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendSortMessagesAsync(inbox.Id);

        var rows = await Store.GetSortKeysAsync(inbox.Id, [uids[2], uids[0], uids[1]], SortFields.All);

        Assert.Equal(uids, rows.Select(r => r.Uid));
        var internalDate = new DateTimeOffset(2024, 2, 1, 8, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds();
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = MessageAnalyzer.AnalyzeWithSortKeys(new MemoryStream(SortMessages[i])).SortKeys;
            Assert.Equal(expected with { SentDate = null, References = [] }, rows[i].Keys with { SentDate = null, References = [] });
            Assert.Equal(expected.References, rows[i].Keys.References);
            Assert.Equal(expected.SentDate ?? internalDate, rows[i].SentDate);
            Assert.Equal(internalDate, rows[i].InternalDate);
            Assert.Equal(SortMessages[i].Length, rows[i].Size);
        }
        Assert.Equal("HELLO", rows[0].Keys.Subject);
        Assert.True(rows[0].Keys.IsReplyOrForward);
        Assert.Equal(["root@x", "p@x"], rows[0].Keys.References);
        Assert.Equal(["a@x"], rows[1].Keys.References);
        Assert.Equal(internalDate, rows[1].SentDate); // "garbage" is no date
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 7, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), rows[2].SentDate);
        Assert.Equal("ZED", rows[0].Keys.From);
        Assert.Equal("AMY@EXAMPLE.ORG", rows[1].Keys.DisplayFrom);
    }

    /// <summary>Expunged UIDs are skipped; a copy has its source's keys; the asked-for strings are filled (others
    /// may be).</summary>
    [Fact]
    public async Task SortKeysSkipExpungedAndFollowCopies()
    {
        var (user, inbox) = await UserAsync();
        var uids = await AppendSortMessagesAsync(inbox.Id);
        var archive = (await Store.GetMailboxAsync(user.Id, "Archive"))!;
        var copied = await Store.CopyAsync(inbox.Id, [uids[0]], archive.Id);
        await Store.StoreFlagsAsync(inbox.Id, [uids[0]], FlagOperation.Add, MessageFlags.Deleted, []);
        await Store.ExpungeAsync(inbox.Id);

        var dates = await Store.GetSortKeysAsync(inbox.Id, uids, SortFields.None);
        var copy = Assert.Single(await Store.GetSortKeysAsync(archive.Id, copied.DestinationUids, SortFields.Subject | SortFields.Threading));

        Assert.Equal(uids[1..], dates.Select(r => r.Uid));
        Assert.Equal("HELLO", copy.Keys.Subject);
        Assert.Equal("a@x", copy.Keys.MessageId);
        Assert.Empty(await Store.GetSortKeysAsync(inbox.Id, [], SortFields.All));
    }
}

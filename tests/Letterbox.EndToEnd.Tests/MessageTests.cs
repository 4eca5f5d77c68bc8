using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Message commands through MailKit: APPEND, CHECK, CLOSE, UNSELECT, EXPUNGE, UID EXPUNGE, STORE, COPY,
/// MOVE and their UID forms.</summary>
public sealed class MessageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private static async Task<IMailFolder> CreateAsync(ImapClient client, string name)
    {
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        return (await root.CreateAsync(name, true))!;
    }

    private static async Task<IList<UniqueId>> AppendManyAsync(IMailFolder folder, int count, string prefix = "msg")
    {
        var uids = new List<UniqueId>();
        for (var i = 1; i <= count; i++)
        {
            var uid = await folder.AppendAsync(Messages.Text($"{prefix} {i}"));
            Assert.NotNull(uid);
            uids.Add(uid.Value);
        }
        return uids;
    }

    /// <summary>RFC 9051 §6.3.12 APPEND with flags and INTERNALDATE; RFC 4315 §3 APPENDUID; UIDs ascend from 1;
    /// the stored bytes are exactly the literal (CLIENT-QUIRKS 9).</summary>
    [Fact]
    public async Task Append_keeps_flags_internaldate_and_returns_appenduid()
    {
        using var client = await Server.NewUserClientAsync();
        var inbox = client.Inbox;
        var date = new DateTimeOffset(2019, 7, 1, 8, 30, 15, TimeSpan.FromHours(2));
        var message = Messages.Text("with flags");
        var request = new AppendRequest(message, MessageFlags.Seen | MessageFlags.Flagged, date)
        {
            Keywords = new HashSet<string> { "$Label1", "Project" },
        };
        var uid1 = await inbox.AppendAsync(request);
        var uid2 = await inbox.AppendAsync(Messages.Text("plain"));
        Assert.Equal(1u, uid1?.Id);
        Assert.Equal(2u, uid2?.Id);

        await inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(2, inbox.Count);
        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.UniqueId | MessageSummaryItems.Size);
        var first = summaries[0];
        Assert.Equal(1u, first.UniqueId.Id);
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, first.Flags & ~MessageFlags.Recent);
        Assert.Equal(new[] { "$Label1", "Project" }, first.Keywords.Order(StringComparer.Ordinal));
        Assert.Equal(date.UtcDateTime, first.InternalDate?.UtcDateTime);
        Assert.Equal(MessageFlags.None, summaries[1].Flags & ~MessageFlags.Recent);
        Assert.Equal((uint)Messages.ToBytes(message).Length, first.Size);

        using var stream = await inbox.GetStreamAsync(first.UniqueId, "");
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(Messages.ToBytes(message), copy.ToArray());
    }

    /// <summary>RFC 9051 §6.3.12 several APPENDs in a row; RFC 4315 §3 APPENDUID with the mailbox's UIDVALIDITY;
    /// APPEND to a missing mailbox is NO [TRYCREATE].</summary>
    [Fact]
    public async Task Append_multiple_messages_and_trycreate()
    {
        using var client = await Server.NewUserClientAsync();
        var box = await CreateAsync(client, "Many");
        var requests = Enumerable.Range(1, 5).Select(i => (IAppendRequest)new AppendRequest(Messages.Text($"m{i}"))).ToList();
        var uids = await box.AppendAsync(requests);
        Assert.Equal([1u, 2u, 3u, 4u, 5u], uids.Select(u => u.Id));
        await box.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(5, box.Count);
        Assert.Equal(uids[0].Validity, box.UidValidity);

        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var bytes = Messages.Raw("Subject: x", "", "body");
        await raw.WriteAsync($"a1 APPEND Nowhere {{{bytes.Length}+}}\r\n");
        await raw.WriteAsync(bytes);
        await raw.WriteAsync("\r\n");
        var response = await raw.ReadResponseAsync("a1");
        Assert.StartsWith("a1 NO [TRYCREATE]", response.Tagged, StringComparison.Ordinal);
    }

    /// <summary>RFC 9051 §6.4.1 CHECK (in IMAP4rev2 an alias of NOOP; RFC 3501 §6.4.1) succeeds in the selected
    /// state.</summary>
    [Fact]
    public async Task Check_succeeds()
    {
        using var client = await Server.NewUserClientAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.Inbox.CheckAsync();
    }

    /// <summary>RFC 9051 §6.4.1 CLOSE expunges \Deleted messages without sending EXPUNGE responses and returns
    /// to the authenticated state.</summary>
    [Fact]
    public async Task Close_expunges_deleted_silently()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var box = await CreateAsync(client, "CloseMe");
        var uids = await AppendManyAsync(box, 3);
        await box.OpenAsync(FolderAccess.ReadWrite);
        await box.AddFlagsAsync(uids[1], MessageFlags.Deleted, true);
        await box.CloseAsync(expunge: true);
        await box.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(2, box.Count);
        var remaining = await box.SearchAsync(SearchQuery.All);
        Assert.Equal([1u, 3u], remaining.Select(u => u.Id));

        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("c1", "SELECT CloseMe")).IsOk);
        Assert.True((await raw.CommandAsync("c2", "STORE 1 +FLAGS.SILENT (\\Deleted)")).IsOk);
        var close = await raw.CommandAsync("c3", "CLOSE");
        Assert.True(close.IsOk, close.ToString());
        Assert.DoesNotContain(close.Untagged, l => l.Contains("EXPUNGE", StringComparison.Ordinal));
        Assert.Equal("BAD", (await raw.CommandAsync("c4", "FETCH 1 FLAGS")).Status);
        var status = await raw.CommandAsync("c5", "STATUS CloseMe (MESSAGES)");
        Assert.Contains("MESSAGES 1", status.Untagged.Single(), StringComparison.Ordinal);
    }

    /// <summary>RFC 9051 §6.4.2 UNSELECT (RFC 3691): leaves the selected state without expunging.</summary>
    [Fact]
    public async Task Unselect_does_not_expunge()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var uids = await AppendManyAsync(client.Inbox, 2);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.Inbox.AddFlagsAsync(uids[0], MessageFlags.Deleted, true);

        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("u1", "SELECT INBOX")).IsOk);
        var unselect = await raw.CommandAsync("u2", "UNSELECT");
        Assert.True(unselect.IsOk, unselect.ToString());
        Assert.Equal("BAD", (await raw.CommandAsync("u3", "FETCH 1 FLAGS")).Status);
        var status = await raw.CommandAsync("u4", "STATUS INBOX (MESSAGES)");
        Assert.Contains("MESSAGES 2", status.Untagged.Single(), StringComparison.Ordinal);

        await client.Inbox.CloseAsync(expunge: false);
        await client.Inbox.StatusAsync(StatusItems.Count);
        Assert.Equal(2, client.Inbox.Count);
    }

    /// <summary>RFC 9051 §6.4.3 EXPUNGE: untagged EXPUNGE with descending-safe sequence numbers; §2.3.1.1 UIDs are
    /// not reused (UIDNEXT stays after the expunged message).</summary>
    [Fact]
    public async Task Expunge_removes_deleted_and_uids_are_not_reused()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var box = await CreateAsync(client, "Exp");
        var uids = await AppendManyAsync(box, 4);
        await box.OpenAsync(FolderAccess.ReadWrite);
        await box.AddFlagsAsync([uids[1], uids[3]], MessageFlags.Deleted, true);

        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("e1", "SELECT Exp")).IsOk);
        var expunge = await raw.CommandAsync("e2", "EXPUNGE");
        Assert.True(expunge.IsOk, expunge.ToString());
        // Messages 2 and 4 expunged: "* 2 EXPUNGE" then "* 3 EXPUNGE" (4 became 3), or "* 4" then "* 2".
        var expunged = expunge.Untagged.Where(l => l.EndsWith(" EXPUNGE", StringComparison.Ordinal)).ToList();
        Assert.True(expunged.SequenceEqual(["* 2 EXPUNGE", "* 3 EXPUNGE"]) || expunged.SequenceEqual(["* 4 EXPUNGE", "* 2 EXPUNGE"]), string.Join("\n", expunged));

        await client.NoOpAsync();
        Assert.Equal(2, box.Count);
        var uid = await box.AppendAsync(Messages.Text("after expunge"));
        Assert.Equal(5u, uid?.Id);
        await box.StatusAsync(StatusItems.UidNext);
        Assert.Equal(6u, box.UidNext?.Id);
        var all = await box.SearchAsync(SearchQuery.All);
        Assert.Equal([1u, 3u, 5u], all.Select(u => u.Id));
    }

    /// <summary>RFC 4315 §2.1 UID EXPUNGE expunges only the named \Deleted messages.</summary>
    [Fact]
    public async Task Uid_expunge_only_named_messages()
    {
        using var client = await Server.NewUserClientAsync();
        var box = await CreateAsync(client, "UidExp");
        var uids = await AppendManyAsync(box, 3);
        await box.OpenAsync(FolderAccess.ReadWrite);
        await box.AddFlagsAsync(uids, MessageFlags.Deleted, true);
        await box.ExpungeAsync([uids[1]]);
        var left = await box.SearchAsync(SearchQuery.All);
        Assert.Equal([1u, 3u], left.Select(u => u.Id));
        Assert.Equal(2, box.Count);
    }

    /// <summary>RFC 9051 §6.4.6 STORE FLAGS / +FLAGS / -FLAGS with and without .SILENT, keywords; untagged FETCH
    /// with the new flags unless silent; UID STORE responses carry UID (§6.4.9).</summary>
    [Fact]
    public async Task Store_flags_variants()
    {
        var (name, password) = await Server.AddUserAsync();
        using (var client = await Server.ConnectAsync())
        {
            await client.AuthenticateAsync(name, password);
            var uids = await AppendManyAsync(client.Inbox, 2);
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.AddFlagsAsync(uids[0], MessageFlags.Flagged | MessageFlags.Answered, true);
            await client.Inbox.StoreAsync(uids[0], new StoreFlagsRequest(StoreAction.Add, ["$Forwarded"]) { Silent = true });
            await client.Inbox.StoreAsync(uids[0], new StoreFlagsRequest(StoreAction.Add, ["work"]) { Silent = true });
            await client.Inbox.RemoveFlagsAsync(uids[0], MessageFlags.Answered, true);
            await client.Inbox.SetFlagsAsync(uids[1], MessageFlags.Draft, true);
            var summaries = await client.Inbox.FetchAsync(uids, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
            Assert.Equal(MessageFlags.Flagged, summaries[0].Flags & ~MessageFlags.Recent);
            Assert.Equal(["$Forwarded", "work"], summaries[0].Keywords.Order(StringComparer.Ordinal));
            Assert.Equal(MessageFlags.Draft, summaries[1].Flags & ~MessageFlags.Recent);
        }

        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("s1", "SELECT INBOX")).IsOk);
        var loud = await raw.CommandAsync("s2", "STORE 2 FLAGS (\\Seen)");
        Assert.Equal(["* 2 FETCH (FLAGS (\\Seen))"], loud.Untagged);
        var silent = await raw.CommandAsync("s3", "STORE 2 +FLAGS.SILENT (\\Answered)");
        Assert.Empty(silent.Untagged);
        var uid = await raw.CommandAsync("s4", "UID STORE 2 -FLAGS (\\Answered)");
        var line = Assert.Single(uid.Untagged);
        Assert.StartsWith("* 2 FETCH (", line, StringComparison.Ordinal);
        Assert.Contains("UID 2", line, StringComparison.Ordinal);
        Assert.Contains("FLAGS (\\Seen)", line, StringComparison.Ordinal);
        // CLIENT-QUIRKS 10: "+Flags" is case-insensitive.
        Assert.True((await raw.CommandAsync("s5", "store 1 +Flags.Silent (\\Seen)")).IsOk);
        var flags = await raw.CommandAsync("s6", "FETCH 1:2 FLAGS");
        Assert.Contains(flags.Untagged, l => l.StartsWith("* 1 FETCH", StringComparison.Ordinal) && l.Contains("\\Seen", StringComparison.Ordinal));
    }

    /// <summary>RFC 9051 §6.4.7 COPY and RFC 4315 §3 COPYUID: destination UIDs ascend; flags are copied; source
    /// unchanged.</summary>
    [Fact]
    public async Task Copy_returns_copyuid_and_keeps_source()
    {
        using var client = await Server.NewUserClientAsync();
        var src = await CreateAsync(client, "Src");
        var dst = await CreateAsync(client, "Dst");
        await dst.AppendAsync(Messages.Text("already there"));
        var uids = await AppendManyAsync(src, 3);
        await src.OpenAsync(FolderAccess.ReadWrite);
        await src.AddFlagsAsync(uids[2], MessageFlags.Flagged, true);
        var map = await src.CopyToAsync([uids[0], uids[2]], dst);
        Assert.Equal([1u, 3u], map.Source.Select(u => u.Id));
        Assert.Equal([2u, 3u], map.Destination.Select(u => u.Id));
        Assert.Equal(3, src.Count);
        await dst.StatusAsync(StatusItems.Count | StatusItems.UidValidity);
        Assert.Equal(3, dst.Count);
        Assert.Equal(dst.UidValidity, map.Destination[0].Validity);
        await dst.OpenAsync(FolderAccess.ReadOnly);
        var copied = await dst.FetchAsync(map.Destination, MessageSummaryItems.Envelope | MessageSummaryItems.Flags);
        Assert.Equal(["msg 1", "msg 3"], copied.Select(s => s.Envelope!.Subject));
        Assert.True(copied[1].Flags?.HasFlag(MessageFlags.Flagged));
    }

    /// <summary>RFC 6851 §3.1 MOVE with COPYUID in an untagged OK (§4.3) and EXPUNGE for the moved messages.</summary>
    [Fact]
    public async Task Move_returns_copyuid_and_expunges_source()
    {
        using var client = await Server.NewUserClientAsync();
        var src = await CreateAsync(client, "MSrc");
        var dst = await CreateAsync(client, "MDst");
        var uids = await AppendManyAsync(src, 4);
        await src.OpenAsync(FolderAccess.ReadWrite);
        var map = await src.MoveToAsync([uids[1], uids[2]], dst);
        Assert.Equal([2u, 3u], map.Source.Select(u => u.Id));
        Assert.Equal([1u, 2u], map.Destination.Select(u => u.Id));
        Assert.Equal(2, src.Count);
        var left = await src.SearchAsync(SearchQuery.All);
        Assert.Equal([1u, 4u], left.Select(u => u.Id));
        await dst.StatusAsync(StatusItems.Count);
        Assert.Equal(2, dst.Count);
    }

    /// <summary>RFC 6851 §4.3 / RFC 9051 §6.4.8 raw MOVE transcript: untagged OK [COPYUID], EXPUNGE, tagged OK;
    /// COPY/MOVE to a missing mailbox is NO [TRYCREATE] (§6.4.7).</summary>
    [Fact]
    public async Task Move_and_copy_raw_transcript_and_trycreate()
    {
        var (name, password) = await Server.AddUserAsync();
        using (var client = await Server.ConnectAsync())
        {
            await client.AuthenticateAsync(name, password);
            await AppendManyAsync(client.Inbox, 3);
        }
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var select = await raw.CommandAsync("m0", "SELECT INBOX");
        var validity = select.Untagged.Single(l => l.Contains("[UIDVALIDITY ", StringComparison.Ordinal));
        Assert.StartsWith("m2 NO [TRYCREATE]", (await raw.CommandAsync("m2", "COPY 1 Missing")).Tagged, StringComparison.Ordinal);
        Assert.StartsWith("m3 NO [TRYCREATE]", (await raw.CommandAsync("m3", "MOVE 1 Missing")).Tagged, StringComparison.Ordinal);
        Assert.StartsWith("m4 NO [TRYCREATE]", (await raw.CommandAsync("m4", "UID MOVE 1 Missing")).Tagged, StringComparison.Ordinal);

        var archiveStatus = await raw.CommandAsync("m5", "STATUS Archive (UIDVALIDITY)");
        var archiveValidity = archiveStatus.Untagged.Single().Split("UIDVALIDITY ")[1].TrimEnd(')');
        var move = await raw.CommandAsync("m6", "UID MOVE 2:3 Archive");
        Assert.True(move.IsOk, move.ToString());
        // RFC 6851 §4.3: COPYUID in an untagged OK before the EXPUNGEs (or, allowed too, in the tagged OK).
        var copyUid = $"[COPYUID {archiveValidity} 2:3 1:2]";
        Assert.True(move.Untagged.Any(l => l.StartsWith("* OK " + copyUid, StringComparison.Ordinal)) || move.Tagged.StartsWith("m6 OK " + copyUid, StringComparison.Ordinal), move.ToString());
        var expunges = move.Untagged.Where(l => l.EndsWith(" EXPUNGE", StringComparison.Ordinal)).ToList();
        Assert.True(expunges.SequenceEqual(["* 2 EXPUNGE", "* 2 EXPUNGE"]) || expunges.SequenceEqual(["* 3 EXPUNGE", "* 2 EXPUNGE"]), move.ToString());

        var copy = await raw.CommandAsync("m7", "COPY 1 Archive");
        Assert.StartsWith($"m7 OK [COPYUID {archiveValidity} 1 3]", copy.Tagged, StringComparison.Ordinal);
        Assert.NotNull(validity);
    }

    /// <summary>RFC 9051 §6.4.9 UID FETCH/STORE/COPY/SEARCH with UID sets; a UID set with no existing message is
    /// not an error.</summary>
    [Fact]
    public async Task Uid_commands_address_by_uid()
    {
        using var client = await Server.NewUserClientAsync();
        var box = await CreateAsync(client, "Uids");
        var uids = await AppendManyAsync(box, 5);
        await box.OpenAsync(FolderAccess.ReadWrite);
        await box.AddFlagsAsync([uids[0], uids[1]], MessageFlags.Deleted, true);
        await box.ExpungeAsync();
        // Now sequence 1..3 hold UIDs 3..5.
        var fetched = await box.FetchAsync([new UniqueId(4), new UniqueId(99)], MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);
        var only = Assert.Single(fetched);
        Assert.Equal(4u, only.UniqueId.Id);
        Assert.Equal(1, only.Index); // MailKit's Index is the 0-based sequence number: message 2.
        Assert.Equal("msg 4", only.Envelope!.Subject);
        var range = await box.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(2), new UniqueId(4))));
        Assert.Equal([3u, 4u], range.Select(u => u.Id));
        var none = await box.FetchAsync([new UniqueId(1)], MessageSummaryItems.Flags);
        Assert.Empty(none);
    }
}

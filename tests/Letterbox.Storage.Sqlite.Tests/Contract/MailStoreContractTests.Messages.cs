using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Tests.Contract;

public abstract partial class MailStoreContractTests
{
    [Fact]
    public async Task Append_AssignsAscendingUids_AndSurvivesReopen()
    {
        var (user, inbox) = await UserAsync();
        var first = await AppendAsync(inbox.Id, 2);
        var second = await AppendAsync(inbox.Id, 1, MessageFlags.Seen, "$Label1");
        Assert.Equal([1u, 2u], first);
        Assert.Equal([3u], second);
        await ReopenAsync();
        var (uids, highest) = await Store.GetUidsAsync(inbox.Id);
        Assert.Equal([1u, 2u, 3u], uids);
        var mailbox = await Store.GetMailboxAsync(user.Id, "INBOX");
        Assert.Equal(4u, mailbox!.UidNext);
        Assert.Equal(mailbox.HighestModSeq, highest);
        Assert.Equal(Message("Message 0"), await ReadAsync(inbox.Id, 3));
        var state = await FlagsAsync(inbox.Id, 3);
        Assert.Equal(MessageFlags.Seen, state.Flags);
        Assert.Equal(["$Label1"], state.Keywords);
    }

    [Fact]
    public async Task Append_KeepsInternalDateAndSize_MetadataInUidOrder()
    {
        var (_, inbox) = await UserAsync();
        var date = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var bytes = Message("Dated");
        var result = await Store.AppendAsync(inbox.Id, [new AppendRequest(await StageAsync(bytes), MessageFlags.None, [], date)]);
        await AppendAsync(inbox.Id, 1);
        var metadata = await Store.GetMetadataAsync(inbox.Id, [2, result.Uids[0], 99]);
        Assert.Equal(2, metadata.Count);
        Assert.Equal(result.Uids[0], metadata[0].Uid);
        Assert.Equal(date, metadata[0].InternalDate);
        Assert.Equal(date.Offset, metadata[0].InternalDate.Offset);
        Assert.Equal(bytes.Length, metadata[0].Size);
        Assert.Equal(inbox.UidValidity, result.UidValidity);
    }

    [Fact]
    public async Task Append_ToMissingMailbox_ThrowsNonExistent_AndStagedMessageStaysUsable()
    {
        var (_, inbox) = await UserAsync();
        var staged = await StageAsync(Message("Retry"));
        var error = await Assert.ThrowsAsync<MailStoreException>(
            () => Store.AppendAsync(inbox.Id + 1000, [new AppendRequest(staged, MessageFlags.None, [], null)]));
        Assert.Equal(MailStoreError.NonExistent, error.Error);
        var result = await Store.AppendAsync(inbox.Id, [new AppendRequest(staged, MessageFlags.None, [], null)]);
        Assert.Equal(Message("Retry"), await ReadAsync(inbox.Id, result.Uids[0]));
        await staged.DisposeAsync();
        Assert.Equal(Message("Retry"), await ReadAsync(inbox.Id, result.Uids[0]));
    }

    [Fact]
    public async Task UidNext_NeverReused_AfterExpungeAndReopen()
    {
        var (user, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 3, MessageFlags.Deleted);
        Assert.Equal(uids, await Store.ExpungeAsync(inbox.Id));
        await ReopenAsync();
        var next = await AppendAsync(inbox.Id, 1);
        Assert.Equal([4u], next);
        Assert.Equal(5u, (await Store.GetMailboxAsync(user.Id, "INBOX"))!.UidNext);
    }

    [Fact]
    public async Task Copy_SharesBytes_KeepsFlags_AssignsDestinationUids()
    {
        var (user, inbox) = await UserAsync();
        var work = await Store.CreateMailboxAsync(user.Id, "Work");
        await AppendAsync(work.Id, 1);
        var uids = await AppendAsync(inbox.Id, 3, MessageFlags.Flagged, "Important");
        var result = await Store.CopyAsync(inbox.Id, [uids[2], uids[0], 999], work.Id);
        Assert.Equal(work.UidValidity, result.DestinationUidValidity);
        Assert.Equal([uids[0], uids[2]], result.SourceUids);
        Assert.Equal([2u, 3u], result.DestinationUids);
        Assert.Equal(await ReadAsync(inbox.Id, uids[2]), await ReadAsync(work.Id, 3));
        var state = await FlagsAsync(work.Id, 2);
        Assert.Equal(MessageFlags.Flagged, state.Flags);
        Assert.Equal(["Important"], state.Keywords);
        Assert.Equal(3u, (await Store.GetStatusAsync(inbox.Id)).Messages);

        // Expunging the original keeps the copy's bytes.
        await Store.StoreFlagsAsync(inbox.Id, uids, FlagOperation.Add, MessageFlags.Deleted, []);
        await Store.ExpungeAsync(inbox.Id);
        Assert.Equal(Message("Message 2"), await ReadAsync(work.Id, 3));
    }

    [Fact]
    public async Task Move_CopiesAndExpungesSource()
    {
        var (user, inbox) = await UserAsync();
        var work = await Store.CreateMailboxAsync(user.Id, "Work");
        var uids = await AppendAsync(inbox.Id, 3);
        var before = (await Store.GetStatusAsync(inbox.Id)).HighestModSeq;
        var result = await Store.MoveAsync(inbox.Id, [uids[1]], work.Id);
        Assert.Equal([uids[1]], result.SourceUids);
        Assert.Equal([1u], result.DestinationUids);
        Assert.Equal([uids[0], uids[2]], (await Store.GetUidsAsync(inbox.Id)).Uids);
        Assert.Equal(Message("Message 1"), await ReadAsync(work.Id, 1));
        Assert.Null(await Store.OpenMessageAsync(inbox.Id, uids[1]));
        var changes = await Store.GetChangesAsync(inbox.Id, before);
        Assert.Equal([uids[1]], changes.Expunged);
        Assert.Equal(MailStoreError.NonExistent, (await Assert.ThrowsAsync<MailStoreException>(() => Store.MoveAsync(inbox.Id, [uids[0]], work.Id + 1000))).Error);
        Assert.Equal([uids[0], uids[2]], (await Store.GetUidsAsync(inbox.Id)).Uids);
    }

    [Fact]
    public async Task StoreFlags_ReplaceAddRemove_BumpModSeq_NoOpDoesNot()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 2);
        var start = (await Store.GetStatusAsync(inbox.Id)).HighestModSeq;

        var added = await Store.StoreFlagsAsync(inbox.Id, uids, FlagOperation.Add, MessageFlags.Seen, ["Work"]);
        Assert.Equal(2, added.Changed.Count);
        Assert.All(added.Changed, c => Assert.Equal(start + 1, c.ModSeq));
        Assert.Equal(start + 1, (await Store.GetStatusAsync(inbox.Id)).HighestModSeq);

        var noOp = await Store.StoreFlagsAsync(inbox.Id, uids, FlagOperation.Add, MessageFlags.Seen, ["work"]);
        Assert.Empty(noOp.Changed);
        Assert.Equal(start + 1, (await Store.GetStatusAsync(inbox.Id)).HighestModSeq);

        var removed = await Store.StoreFlagsAsync(inbox.Id, [uids[0]], FlagOperation.Remove, MessageFlags.None, ["WORK"]);
        var single = Assert.Single(removed.Changed);
        Assert.Equal(MessageFlags.Seen, single.Flags);
        Assert.Empty(single.Keywords);
        Assert.Equal(start + 2, single.ModSeq);

        var replaced = await Store.StoreFlagsAsync(inbox.Id, uids, FlagOperation.Replace, MessageFlags.Flagged | MessageFlags.Answered, ["b", "a"]);
        Assert.Equal(2, replaced.Changed.Count);
        var state = await FlagsAsync(inbox.Id, uids[1]);
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Answered, state.Flags);
        Assert.Equal(["a", "b"], state.Keywords);
        Assert.Equal(start + 3, state.ModSeq);
    }

    [Fact]
    public async Task StoreFlags_UnchangedSince_ReportsModified()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 2);
        var baseline = (await Store.GetStatusAsync(inbox.Id)).HighestModSeq;
        await Store.StoreFlagsAsync(inbox.Id, [uids[1]], FlagOperation.Add, MessageFlags.Seen, []);
        var result = await Store.StoreFlagsAsync(inbox.Id, uids, FlagOperation.Add, MessageFlags.Flagged, [], unchangedSince: baseline);
        Assert.Equal([uids[1]], result.Modified);
        Assert.Equal(uids[0], Assert.Single(result.Changed).Uid);
        Assert.Equal(MessageFlags.Seen, (await FlagsAsync(inbox.Id, uids[1])).Flags);
    }

    [Fact]
    public async Task GetFlags_ChangedSince_SkipsOlderAndMissing()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 4);
        var baseline = (await Store.GetStatusAsync(inbox.Id)).HighestModSeq;
        await Store.StoreFlagsAsync(inbox.Id, [uids[2]], FlagOperation.Add, MessageFlags.Seen, []);
        var changed = await Store.GetFlagsAsync(inbox.Id, [uids[0], uids[2], 77], baseline);
        Assert.Equal(uids[2], Assert.Single(changed).Uid);
        var all = await Store.GetFlagsAsync(inbox.Id, [uids[3], uids[0], uids[3]]);
        Assert.Equal([uids[0], uids[3]], [all[0].Uid, all[1].Uid]);
    }

    [Fact]
    public async Task Expunge_OnlyDeleted_AndOnlyWithinUidSubset()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 4);
        await Store.StoreFlagsAsync(inbox.Id, [uids[0], uids[1], uids[3]], FlagOperation.Add, MessageFlags.Deleted, []);
        Assert.Equal([uids[1]], await Store.ExpungeAsync(inbox.Id, [uids[1], uids[2]]));
        Assert.Equal([uids[0], uids[3]], await Store.ExpungeAsync(inbox.Id));
        Assert.Equal([uids[2]], (await Store.GetUidsAsync(inbox.Id)).Uids);
        var before = (await Store.GetStatusAsync(inbox.Id)).HighestModSeq;
        Assert.Empty(await Store.ExpungeAsync(inbox.Id));
        Assert.Equal(before, (await Store.GetStatusAsync(inbox.Id)).HighestModSeq);
    }

    [Fact]
    public async Task Changes_ReportAppendsFlagChangesAndExpunges()
    {
        var (_, inbox) = await UserAsync();
        var old = await AppendAsync(inbox.Id, 3);
        var since = (await Store.GetStatusAsync(inbox.Id)).HighestModSeq;
        await Store.StoreFlagsAsync(inbox.Id, [old[0], old[1]], FlagOperation.Add, MessageFlags.Deleted, []);
        await Store.ExpungeAsync(inbox.Id, [old[1]]);
        var fresh = await AppendAsync(inbox.Id, 1);
        await Store.StoreFlagsAsync(inbox.Id, fresh, FlagOperation.Add, MessageFlags.Seen, []);
        var changes = await Store.GetChangesAsync(inbox.Id, since);
        Assert.Equal(fresh, changes.Appended);
        var flagChange = Assert.Single(changes.FlagChanges);
        Assert.Equal(old[0], flagChange.Uid);
        Assert.Equal(MessageFlags.Deleted, flagChange.Flags);
        Assert.Equal([old[1]], changes.Expunged);
        var status = await Store.GetStatusAsync(inbox.Id);
        Assert.Equal(status.HighestModSeq, changes.HighestModSeq);
        Assert.Equal(status.UidNext, changes.UidNext);
        var none = await Store.GetChangesAsync(inbox.Id, status.HighestModSeq);
        Assert.Empty(none.Appended);
        Assert.Empty(none.FlagChanges);
        Assert.Empty(none.Expunged);
    }

    [Fact]
    public async Task Search_All_ReturnsEveryUidAscending()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 3);
        Assert.Equal(uids, await Store.SearchAsync(inbox.Id, AllKey.Instance));
    }

    [Fact]
    public async Task Search_ByHeaderAndFlag_UsesCachedStructureAndBytes()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 3);
        await Store.StoreFlagsAsync(inbox.Id, [uids[1]], FlagOperation.Add, MessageFlags.Seen, []);
        Assert.Equal([uids[2]], await Store.SearchAsync(inbox.Id, new HeaderKey("Subject", "message 2")));
        Assert.Equal([uids[1]], await Store.SearchAsync(inbox.Id, new FlagKey(MessageFlags.Seen, true)));
        Assert.Empty(await Store.SearchAsync(inbox.Id, new HeaderKey("Subject", "absent")));
    }

    [Fact]
    public async Task Metadata_CarriesAnalyzedStructure()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 1);
        var metadata = Assert.Single(await Store.GetMetadataAsync(inbox.Id, uids));
        Assert.Equal("Message 0", metadata.Structure.Envelope.Subject);
        Assert.Equal(metadata.Size, metadata.Structure.Body.EndOffset);
    }

    [Fact]
    public async Task Stage_OverLimit_ThrowsLimit()
    {
        await using var stager = await Store.StageAsync(10);
        await stager.WriteAsync(new byte[8]);
        // 8 bytes + "\r\n" from the bare LF = 10: at the limit, accepted.
        await stager.WriteAsync("\n"u8.ToArray());
        var error = await Assert.ThrowsAsync<MailStoreException>(async () => await stager.WriteAsync(new byte[1]));
        Assert.Equal(MailStoreError.Limit, error.Error);
    }

    [Theory]
    [InlineData("a\nb\r\nc\n", "a\r\nb\r\nc\r\n")]
    [InlineData("\n\n", "\r\n\r\n")]
    [InlineData("x\r\r\ny", "x\r\r\ny")]
    [InlineData("no newline", "no newline")]
    public async Task Stage_NormalisesBareLf_AtEverySplitPoint(string input, string expected)
    {
        var (_, inbox) = await UserAsync();
        var bytes = Encoding.ASCII.GetBytes(input);
        for (var split = 0; split <= bytes.Length; split++)
        {
            await using var stager = await Store.StageAsync(1000);
            await stager.WriteAsync(bytes.AsMemory(0, split));
            await stager.WriteAsync(bytes.AsMemory(split));
            var staged = await stager.CompleteAsync();
            Assert.Equal(expected.Length, staged.Length);
            var result = await Store.AppendAsync(inbox.Id, [new AppendRequest(staged, MessageFlags.None, [], null)]);
            Assert.Equal(expected, Encoding.ASCII.GetString(await ReadAsync(inbox.Id, result.Uids[0])));
        }
    }

    [Fact]
    public async Task Stage_ByteAtATime_CrLfSplitAcrossWritesKept()
    {
        var (_, inbox) = await UserAsync();
        var bytes = Encoding.ASCII.GetBytes("A: b\r\nC: d\n\nbody\r\n");
        await using var stager = await Store.StageAsync(1000);
        foreach (var b in bytes)
        {
            await stager.WriteAsync(new[] { b });
        }
        var staged = await stager.CompleteAsync();
        var result = await Store.AppendAsync(inbox.Id, [new AppendRequest(staged, MessageFlags.None, [], null)]);
        Assert.Equal("A: b\r\nC: d\r\n\r\nbody\r\n", Encoding.ASCII.GetString(await ReadAsync(inbox.Id, result.Uids[0])));
    }

    [Fact]
    public async Task ConcurrentAppends_GetDistinctAscendingUids()
    {
        var (_, inbox) = await UserAsync();
        const int Tasks = 8;
        const int PerTask = 10;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = new Task<List<uint>>[Tasks];
        for (var t = 0; t < Tasks; t++)
        {
            workers[t] = Task.Run(async () =>
            {
                await start.Task;
                var mine = new List<uint>();
                for (var i = 0; i < PerTask; i++)
                {
                    mine.AddRange(await AppendAsync(inbox.Id, 1));
                }
                return mine;
            });
        }
        start.SetResult();
        var all = new List<uint>();
        foreach (var worker in workers)
        {
            var mine = await worker;
            for (var i = 1; i < mine.Count; i++)
            {
                Assert.True(mine[i] > mine[i - 1]);
            }
            all.AddRange(mine);
        }
        all.Sort();
        Assert.Equal(Tasks * PerTask, all.Distinct().Count());
        Assert.Equal(1u, all[0]);
        Assert.Equal((uint)(Tasks * PerTask), all[^1]);
        Assert.Equal(all, (await Store.GetUidsAsync(inbox.Id)).Uids);
    }

    [Fact]
    public async Task OpenMessage_ExpungedOrUnknown_ReturnsNull()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 1, MessageFlags.Deleted);
        await Store.ExpungeAsync(inbox.Id);
        Assert.Null(await Store.OpenMessageAsync(inbox.Id, uids[0]));
        Assert.Null(await Store.OpenMessageAsync(inbox.Id, 12345));
    }
}

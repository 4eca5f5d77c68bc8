using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Tests.Contract;

public abstract partial class MailStoreContractTests
{
    /// <summary>Sparse UID lists (few runs, and more runs than the store queries one by one) return exactly the
    /// wanted messages, in UID order, for flags, metadata and search (RFC 9051 §2.3.1.1 UIDs).</summary>
    [Theory]
    [InlineData(new uint[] { 3 })]
    [InlineData(new uint[] { 1, 2, 3, 150, 199, 200 })]
    [InlineData(new uint[] { 500 })]
    public async Task SparseUidRequestsReturnExactlyTheWantedMessages(uint[] wanted)
    {
        var (_, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 200);

        var flags = await Store.GetFlagsAsync(inbox.Id, wanted);
        var metadata = await Store.GetMetadataAsync(inbox.Id, wanted);
        var search = await Store.SearchAsync(inbox.Id, new UidSetKey(wanted));

        var expected = wanted.Where(u => u <= 200).ToArray();
        Assert.Equal(expected, flags.Select(f => f.Uid));
        Assert.Equal(expected, metadata.Select(m => m.Uid));
        Assert.Equal(expected, search);
    }

    [Fact]
    public async Task EveryOtherUidAcrossManyRunsIsReturned()
    {
        var (_, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 300);
        var wanted = Enumerable.Range(1, 150).Select(i => (uint)(i * 2)).ToArray(); // 150 runs of one UID

        var flags = await Store.GetFlagsAsync(inbox.Id, wanted);
        var metadata = await Store.GetMetadataAsync(inbox.Id, wanted);

        Assert.Equal(wanted, flags.Select(f => f.Uid));
        Assert.Equal(wanted, metadata.Select(m => m.Uid));
    }

    [Fact]
    public async Task FlagOnlySearchDoesNotNeedTheStructure()
    {
        var (_, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 3);
        await Store.StoreFlagsAsync(inbox.Id, [2], FlagOperation.Add, MessageFlags.Seen, []);

        var unseen = await Store.SearchAsync(inbox.Id, new FlagKey(MessageFlags.Seen, false));
        var sentOrUnseen = await Store.SearchAsync(inbox.Id, new OrKey(new FlagKey(MessageFlags.Seen, false), new HeaderKey("SUBJECT", "nothing-matches")));

        Assert.Equal([1u, 3u], unseen);
        Assert.Equal([1u, 3u], sentOrUnseen);
    }

    /// <summary>The status snapshot names the first unseen UID (SELECT's [UNSEEN n], RFC 3501 §6.3.1), 0 when all are seen.</summary>
    [Fact]
    public async Task StatusNamesTheFirstUnseenUid()
    {
        var (_, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 4, MessageFlags.Seen);
        Assert.Equal(0u, (await Store.GetStatusAsync(inbox.Id)).FirstUnseenUid);
        await Store.StoreFlagsAsync(inbox.Id, [3, 4], FlagOperation.Remove, MessageFlags.Seen, []);
        Assert.Equal(3u, (await Store.GetStatusAsync(inbox.Id)).FirstUnseenUid);
    }
}

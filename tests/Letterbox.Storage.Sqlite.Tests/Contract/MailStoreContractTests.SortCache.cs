using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;

namespace Letterbox.Storage.Tests.Contract;

/// <summary><see cref="MailboxSortCache"/> over the store: what SORT and THREAD read (RFC 5256 §3) must follow the
/// mailbox as it changes.</summary>
public abstract partial class MailStoreContractTests
{
    private async Task<uint[]> AppendSubjectsAsync(long mailboxId, params string[] subjects)
    {
        var requests = new List<AppendRequest>();
        foreach (var subject in subjects)
        {
            requests.Add(new AppendRequest(await StageAsync(Message(subject)), MessageFlags.None, [], null));
        }
        var result = await Store.AppendAsync(mailboxId, requests);
        return [.. result.Uids];
    }

    private static string[] SortedSubjects(SortSelection selection)
    {
        var order = MessageSorter.Sort(selection.Snapshot, selection.Indices, [new SortCriterion(SortKey.Subject, false)]);
        var subjects = new string[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            subjects[i] = selection.Snapshot.KeyAt(SortKey.Subject, selection.Indices[order[i]]);
        }
        return subjects;
    }

    private static uint[] UidsOf(SortSelection selection)
    {
        var uids = new uint[selection.Indices.Length];
        for (var i = 0; i < uids.Length; i++)
        {
            uids[i] = selection.Snapshot.UidAt(selection.Indices[i]);
        }
        return uids;
    }

    /// <summary>Messages delivered after the first SORT are read and placed by their keys; the earlier snapshot is
    /// left as it was.</summary>
    [Fact]
    public async Task SortCacheAddsNewMessagesInKeyOrder()
    {
        var (_, inbox) = await UserAsync();
        var first = await AppendSubjectsAsync(inbox.Id, "mango", "apple");
        var cache = new MailboxSortCache(Store);

        var before = await cache.SelectAsync(inbox.Id, inbox.UidValidity, first, first.Length);
        Assert.Equal(["APPLE", "MANGO"], SortedSubjects(before));

        var later = await AppendSubjectsAsync(inbox.Id, "Re: banana", "zebra");
        uint[] all = [.. first, .. later];
        var after = await cache.SelectAsync(inbox.Id, inbox.UidValidity, all, all.Length);

        Assert.Equal(["APPLE", "BANANA", "MANGO", "ZEBRA"], SortedSubjects(after));
        Assert.Equal(all, UidsOf(after));
        Assert.Equal(2, before.Snapshot.Count);
        Assert.Equal(["APPLE", "MANGO"], SortedSubjects(before));
        Assert.True(after.Snapshot.IsReplyOrForwardAt(after.Indices[2]));
    }

    /// <summary>A subset is selected by UID; a UID the store no longer has (expunged before it was ever read) is left
    /// out rather than invented.</summary>
    [Fact]
    public async Task SortCacheSelectsSubsetsAndLeavesOutUnknownExpungedUids()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendSubjectsAsync(inbox.Id, "one", "two", "three");
        var cache = new MailboxSortCache(Store);
        await cache.SelectAsync(inbox.Id, inbox.UidValidity, uids, uids.Length);

        var added = await AppendSubjectsAsync(inbox.Id, "four", "five");
        await Store.StoreFlagsAsync(inbox.Id, [added[0]], FlagOperation.Add, MessageFlags.Deleted, []);
        await Store.ExpungeAsync(inbox.Id);

        var selection = await cache.SelectAsync(inbox.Id, inbox.UidValidity, [uids[1], added[0], added[1]], 4);

        Assert.Equal([uids[1], added[1]], UidsOf(selection));
        Assert.Equal(["FIVE", "TWO"], SortedSubjects(selection));
    }

    /// <summary>A mailbox deleted and created again under the same name has a new UIDVALIDITY (RFC 9051 §2.3.1.1):
    /// nothing of the old one is answered for it.</summary>
    [Fact]
    public async Task SortCacheNeverServesAnOldMailboxUnderANewUidValidity()
    {
        var (user, _) = await UserAsync();
        var old = await Store.CreateMailboxAsync(user.Id, "Lists");
        var oldUids = await AppendSubjectsAsync(old.Id, "old message");
        var cache = new MailboxSortCache(Store);
        Assert.Equal(["OLD MESSAGE"], SortedSubjects(await cache.SelectAsync(old.Id, old.UidValidity, oldUids, 1)));

        await Store.DeleteMailboxAsync(user.Id, "Lists");
        var renewed = await Store.CreateMailboxAsync(user.Id, "Lists");
        var newUids = await AppendSubjectsAsync(renewed.Id, "new message");

        Assert.NotEqual(old.UidValidity, renewed.UidValidity);
        Assert.Equal(["NEW MESSAGE"], SortedSubjects(await cache.SelectAsync(renewed.Id, renewed.UidValidity, newUids, 1)));
    }

    /// <summary>Once the snapshot holds more than twice the mailbox (+1,024), expunged messages are dropped by
    /// reading the mailbox again.</summary>
    [Fact]
    public async Task SortCacheDropsExpungedMessagesWhenTheyOutnumberTheMailbox()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 1030);
        var cache = new MailboxSortCache(Store);
        Assert.Equal(1030, (await cache.SelectAsync(inbox.Id, inbox.UidValidity, uids, uids.Length)).Snapshot.Count);

        await Store.StoreFlagsAsync(inbox.Id, uids[..^2], FlagOperation.Add, MessageFlags.Deleted, []);
        await Store.ExpungeAsync(inbox.Id);

        var selection = await cache.SelectAsync(inbox.Id, inbox.UidValidity, uids[^2..], 2);
        Assert.Equal(2, selection.Snapshot.Count);
        Assert.Equal(uids[^2..], UidsOf(selection));
    }

    /// <summary>Past its message limit the cache forgets the least recently used mailbox, and reads it again when
    /// asked.</summary>
    [Fact]
    public async Task SortCacheEvictsLeastRecentlyUsedMailboxes()
    {
        var (user, inbox) = await UserAsync();
        var other = await Store.CreateMailboxAsync(user.Id, "Other");
        var inboxUids = await AppendSubjectsAsync(inbox.Id, "a", "b", "c");
        var otherUids = await AppendSubjectsAsync(other.Id, "d", "e");
        var cache = new MailboxSortCache(Store, messageLimit: 4);

        var first = await cache.SelectAsync(inbox.Id, inbox.UidValidity, inboxUids, 3);
        await cache.SelectAsync(other.Id, other.UidValidity, otherUids, 2);
        var again = await cache.SelectAsync(inbox.Id, inbox.UidValidity, inboxUids, 3);

        Assert.NotSame(first.Snapshot, again.Snapshot);
        Assert.Equal(["A", "B", "C"], SortedSubjects(again));
    }
}

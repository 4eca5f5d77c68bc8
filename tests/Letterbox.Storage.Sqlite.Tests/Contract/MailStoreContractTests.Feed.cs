using System.Collections.Concurrent;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Storage.Tests.Contract;

/// <summary>The change feed (<see cref="IChangeFeed"/>): every committed mutation raises the right notification,
/// after the commit, and a disposed watch stops (RFC 2177 IDLE and RFC 5465 NOTIFY are built on it).</summary>
public abstract partial class MailStoreContractTests
{
    /// <summary>Records notifications; <see cref="Events"/> in arrival order.</summary>
    protected sealed class RecordingListener : IChangeListener
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void MailboxChanged(long userId, long mailboxId, ulong highestModSeq)
            => Events.Enqueue($"changed {userId} {mailboxId} {highestModSeq}");

        public void MailboxListChanged(long userId) => Events.Enqueue($"list {userId}");

        /// <summary>The events so far, and forgets them.</summary>
        public List<string> Take()
        {
            var list = new List<string>();
            while (Events.TryDequeue(out var e))
            {
                list.Add(e);
            }
            return list;
        }
    }

    private sealed class ThrowingListener : IChangeListener
    {
        public void MailboxChanged(long userId, long mailboxId, ulong highestModSeq) => throw new InvalidOperationException("listener bug");

        public void MailboxListChanged(long userId) => throw new InvalidOperationException("listener bug");
    }

    private async Task<ulong> HighestModSeqAsync(long mailboxId) => (await Store.GetStatusAsync(mailboxId)).HighestModSeq;

    [Fact]
    public async Task Feed_AppendStoreExpunge_RaiseMailboxChangedWithNewHighestModSeq()
    {
        var (user, inbox) = await UserAsync();
        var listener = new RecordingListener();
        using var watch = Store.ChangeFeed.WatchMailbox(inbox.Id, listener);

        var uids = await AppendAsync(inbox.Id, 2);
        Assert.Equal([$"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}"], listener.Take());

        await Store.StoreFlagsAsync(inbox.Id, [uids[0]], FlagOperation.Add, MessageFlags.Deleted, []);
        Assert.Equal([$"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}"], listener.Take());

        await Store.ExpungeAsync(inbox.Id);
        Assert.Equal([$"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}"], listener.Take());
    }

    [Fact]
    public async Task Feed_NoOpStoreAndEmptyExpunge_RaiseNothing()
    {
        var (_, inbox) = await UserAsync();
        var uids = await AppendAsync(inbox.Id, 1, MessageFlags.Seen);
        var listener = new RecordingListener();
        using var watch = Store.ChangeFeed.WatchMailbox(inbox.Id, listener);
        await Store.StoreFlagsAsync(inbox.Id, uids, FlagOperation.Add, MessageFlags.Seen, []);
        await Store.ExpungeAsync(inbox.Id);
        Assert.Empty(listener.Take());
    }

    [Fact]
    public async Task Feed_CopyRaisesDestination_MoveRaisesBoth()
    {
        var (user, inbox) = await UserAsync();
        var work = await Store.CreateMailboxAsync(user.Id, "Work");
        var uids = await AppendAsync(inbox.Id, 2);
        var source = new RecordingListener();
        var destination = new RecordingListener();
        using var a = Store.ChangeFeed.WatchMailbox(inbox.Id, source);
        using var b = Store.ChangeFeed.WatchMailbox(work.Id, destination);

        await Store.CopyAsync(inbox.Id, [uids[0]], work.Id);
        Assert.Empty(source.Take());
        Assert.Equal([$"changed {user.Id} {work.Id} {await HighestModSeqAsync(work.Id)}"], destination.Take());

        await Store.MoveAsync(inbox.Id, [uids[1]], work.Id);
        Assert.Equal([$"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}"], source.Take());
        Assert.Equal([$"changed {user.Id} {work.Id} {await HighestModSeqAsync(work.Id)}"], destination.Take());
    }

    [Fact]
    public async Task Feed_WatchUser_SeesEveryMailboxAndListChanges()
    {
        var (user, inbox) = await UserAsync();
        var (other, otherInbox) = await UserAsync("bob");
        var listener = new RecordingListener();
        using var watch = Store.ChangeFeed.WatchUser(user.Id, listener);

        await AppendAsync(inbox.Id, 1);
        await AppendAsync(otherInbox.Id, 1); // another user's: not seen
        Assert.Equal([$"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}"], listener.Take());

        var work = await Store.CreateMailboxAsync(user.Id, "Work");
        Assert.Equal([$"list {user.Id}"], listener.Take());
        await Store.SetSubscribedAsync(user.Id, "Work", true);
        Assert.Equal([$"list {user.Id}"], listener.Take());
        await Store.SetSubscribedAsync(user.Id, "Work", false);
        Assert.Equal([$"list {user.Id}"], listener.Take());

        var highest = await HighestModSeqAsync(work.Id);
        await Store.RenameMailboxAsync(user.Id, "Work", "Play");
        Assert.Equal([$"changed {user.Id} {work.Id} {highest}", $"list {user.Id}"], listener.Take());

        await Store.DeleteMailboxAsync(user.Id, "Play");
        Assert.Equal([$"changed {user.Id} {work.Id} {highest}", $"list {user.Id}"], listener.Take());
        Assert.Empty(listener.Take());
        _ = other;
    }

    [Fact]
    public async Task Feed_DeleteAndRenameRaiseOnTheMailboxWatch()
    {
        var (user, _) = await UserAsync();
        var parent = await Store.CreateMailboxAsync(user.Id, "A");
        var child = await Store.CreateMailboxAsync(user.Id, "A/B");
        var onParent = new RecordingListener();
        var onChild = new RecordingListener();
        using var p = Store.ChangeFeed.WatchMailbox(parent.Id, onParent);
        using var c = Store.ChangeFeed.WatchMailbox(child.Id, onChild);

        await Store.RenameMailboxAsync(user.Id, "A", "Z");
        Assert.Single(onParent.Take());
        Assert.Single(onChild.Take()); // renamed with its parent (RFC 9051 §6.3.6)

        await Store.DeleteMailboxAsync(user.Id, "Z/B");
        Assert.Empty(onParent.Take());
        Assert.Single(onChild.Take());
    }

    [Fact]
    public async Task Feed_RenameInboxRaisesInboxAndListChange()
    {
        var (user, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 1);
        var onInbox = new RecordingListener();
        var onUser = new RecordingListener();
        using var a = Store.ChangeFeed.WatchMailbox(inbox.Id, onInbox);
        using var b = Store.ChangeFeed.WatchUser(user.Id, onUser);
        await Store.RenameMailboxAsync(user.Id, "INBOX", "Old");
        Assert.Equal([$"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}"], onInbox.Take());
        var events = onUser.Take();
        Assert.Contains($"list {user.Id}", events);
        Assert.Contains($"changed {user.Id} {inbox.Id} {await HighestModSeqAsync(inbox.Id)}", events);
    }

    [Fact]
    public async Task Feed_DeleteUserRaisesEveryMailboxAndTheList()
    {
        var (user, inbox) = await UserAsync();
        var onInbox = new RecordingListener();
        var onUser = new RecordingListener();
        using var a = Store.ChangeFeed.WatchMailbox(inbox.Id, onInbox);
        using var b = Store.ChangeFeed.WatchUser(user.Id, onUser);
        await Store.DeleteUserAsync(user.Id);
        Assert.Single(onInbox.Take());
        var events = onUser.Take();
        Assert.Equal(7, events.Count); // six default mailboxes + the list
        Assert.Contains($"list {user.Id}", events);
    }

    [Fact]
    public async Task Feed_DisposedWatchStops_OthersContinue()
    {
        var (_, inbox) = await UserAsync();
        var first = new RecordingListener();
        var second = new RecordingListener();
        var watch = Store.ChangeFeed.WatchMailbox(inbox.Id, first);
        using var other = Store.ChangeFeed.WatchMailbox(inbox.Id, second);
        watch.Dispose();
        watch.Dispose(); // idempotent
        await AppendAsync(inbox.Id, 1);
        Assert.Empty(first.Take());
        Assert.Single(second.Take());
    }

    [Fact]
    public async Task Feed_ThrowingListener_DoesNotFailTheCommitOrStarveOthers()
    {
        var (_, inbox) = await UserAsync();
        using var bad = Store.ChangeFeed.WatchMailbox(inbox.Id, new ThrowingListener());
        var good = new RecordingListener();
        using var watch = Store.ChangeFeed.WatchMailbox(inbox.Id, good);
        var uids = await AppendAsync(inbox.Id, 1);
        Assert.Single(uids);
        Assert.Single((await Store.GetUidsAsync(inbox.Id)).Uids);
        Assert.Single(good.Take());
    }

    [Fact]
    public async Task Feed_FailedCommitRaisesNothing()
    {
        var (user, _) = await UserAsync();
        var listener = new RecordingListener();
        using var watch = Store.ChangeFeed.WatchUser(user.Id, listener);
        await Assert.ThrowsAsync<MailStoreException>(() => Store.CreateMailboxAsync(user.Id, "INBOX"));
        Assert.Empty(listener.Take());
    }

    [Fact]
    public async Task Feed_ManyWatchersOnOneMailbox_AllNotified_AllRemovable()
    {
        var (_, inbox) = await UserAsync();
        var listeners = new RecordingListener[1000];
        var watches = new IDisposable[listeners.Length];
        for (var i = 0; i < listeners.Length; i++)
        {
            listeners[i] = new RecordingListener();
            watches[i] = Store.ChangeFeed.WatchMailbox(inbox.Id, listeners[i]);
        }
        for (var i = 0; i < watches.Length; i += 2)
        {
            watches[i].Dispose(); // every other one leaves; its slot is reused below
        }
        var late = new RecordingListener();
        using var lateWatch = Store.ChangeFeed.WatchMailbox(inbox.Id, late);
        await AppendAsync(inbox.Id, 1);
        for (var i = 0; i < listeners.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? 0 : 1, listeners[i].Take().Count);
        }
        Assert.Single(late.Take());
        for (var i = 1; i < watches.Length; i += 2)
        {
            watches[i].Dispose();
        }
    }

    [Fact]
    public async Task GetChanges_SeesEveryCommitMadeBeforeTheCall_EvenWhileAnEqualReadIsInFlight()
    {
        // SQLite shares one change read among concurrent equal calls (10,000 idlers woken by one commit); a read
        // that began before a commit must not be shared with a caller that comes after it.
        var (_, inbox) = await UserAsync();
        for (var round = 1; round <= 20; round++)
        {
            var earlier = Store.GetChangesAsync(inbox.Id, 0);
            await AppendAsync(inbox.Id, 1);
            var later = await Store.GetChangesAsync(inbox.Id, 0);
            Assert.Equal(round, later.Appended.Count);
            Assert.True((await earlier).Appended.Count >= round - 1);
        }
        var a = Store.GetChangesAsync(inbox.Id, 0);
        var b = Store.GetChangesAsync(inbox.Id, 0);
        Assert.Equal((await a).Appended, (await b).Appended);
    }
}

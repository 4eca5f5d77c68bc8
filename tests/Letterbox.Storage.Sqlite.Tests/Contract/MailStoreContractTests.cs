using System.Text;
using Letterbox.Mail.Mailboxes;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;
using Letterbox.Mail.Users;

namespace Letterbox.Storage.Tests.Contract;

/// <summary>
/// The behaviour every <see cref="IMailStore"/> backend must show. A backend's test project links this file and
/// subclasses it with <see cref="CreateStoreAsync"/> (a fresh, empty store) and <see cref="ReopenStoreAsync"/>
/// (the same data opened again, after the previous instance was disposed).
/// </summary>
public abstract partial class MailStoreContractTests : IAsyncLifetime
{
    private IMailStore? _store;

    protected IMailStore Store => _store ?? throw new InvalidOperationException("Store not created.");

    /// <summary>Creates a fresh, empty store.</summary>
    protected abstract Task<IMailStore> CreateStoreAsync();

    /// <summary>Opens the data of the store created by <see cref="CreateStoreAsync"/> again.</summary>
    protected abstract Task<IMailStore> ReopenStoreAsync();

    /// <summary>Releases whatever the backend created (files, databases); the store is already disposed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        await CleanupAsync();
    }

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await ReopenStoreAsync();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    protected static byte[] Message(string subject, string body = "Hello.")
        => Encoding.ASCII.GetBytes($"From: a@example.org\r\nTo: b@example.org\r\nSubject: {subject}\r\n\r\n{body}\r\n");

    protected async Task<IStagedMessage> StageAsync(byte[] bytes, long maxLength = 1 << 20)
    {
        await using var stager = await Store.StageAsync(maxLength);
        await stager.WriteAsync(bytes);
        return await stager.CompleteAsync();
    }

    protected async Task<uint[]> AppendAsync(long mailboxId, int count, MessageFlags flags = MessageFlags.None, params string[] keywords)
    {
        var requests = new List<AppendRequest>();
        for (var i = 0; i < count; i++)
        {
            requests.Add(new AppendRequest(await StageAsync(Message("Message " + i)), flags, keywords, null));
        }
        var result = await Store.AppendAsync(mailboxId, requests);
        foreach (var request in requests)
        {
            await request.Message.DisposeAsync();
        }
        return [.. result.Uids];
    }

    protected async Task<(UserRecord User, MailboxInfo Inbox)> UserAsync(string name = "alice")
    {
        var user = await Store.AddUserAsync(name, "{PLAIN}x");
        var inbox = await Store.GetMailboxAsync(user.Id, "INBOX");
        Assert.NotNull(inbox);
        return (user, inbox);
    }

    protected async Task<byte[]> ReadAsync(long mailboxId, uint uid)
    {
        await using var stream = await Store.OpenMessageAsync(mailboxId, uid);
        Assert.NotNull(stream);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }

    protected async Task<MessageFlagState> FlagsAsync(long mailboxId, uint uid)
        => Assert.Single(await Store.GetFlagsAsync(mailboxId, [uid]));

    // ---- users -------------------------------------------------------------------------------------------

    [Fact]
    public async Task AddUser_CreatesDefaultMailboxesSubscribed()
    {
        var (user, _) = await UserAsync();
        var names = new List<string>();
        foreach (var mailbox in await Store.ListMailboxesAsync(user.Id))
        {
            names.Add(mailbox.Name);
        }
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], names);
        Assert.Equal(SpecialUse.Sent, (await Store.GetMailboxAsync(user.Id, "Sent"))!.SpecialUse);
        Assert.Equal(SpecialUse.Trash, (await Store.GetMailboxAsync(user.Id, "Trash"))!.SpecialUse);
        Assert.Equal(names, await Store.GetSubscriptionsAsync(user.Id));
    }

    [Fact]
    public async Task Users_FindIsCaseInsensitive_ListSorted_DuplicateRefused()
    {
        await Store.AddUserAsync("bob", "h1");
        var alice = await Store.AddUserAsync("alice", "h2");
        Assert.Equal(alice.Id, (await Store.FindUserAsync("ALICE"))!.Id);
        Assert.Null(await Store.FindUserAsync("carol"));
        var users = await Store.ListUsersAsync();
        Assert.Equal(["alice", "bob"], [users[0].Name, users[1].Name]);
        var error = await Assert.ThrowsAsync<MailStoreException>(() => Store.AddUserAsync("Alice", "h3"));
        Assert.Equal(MailStoreError.UserExists, error.Error);
    }

    [Fact]
    public async Task SetPasswordHash_ReplacesHash_UnknownUserThrows()
    {
        var (user, _) = await UserAsync();
        await Store.SetPasswordHashAsync(user.Id, "new-hash");
        Assert.Equal("new-hash", (await Store.FindUserAsync("alice"))!.PasswordHash);
        var error = await Assert.ThrowsAsync<MailStoreException>(() => Store.SetPasswordHashAsync(user.Id + 1000, "x"));
        Assert.Equal(MailStoreError.NoSuchUser, error.Error);
    }

    [Fact]
    public async Task SetScramSecret_IsReadBack_ClearedByPasswordChange_UnknownUserThrows()
    {
        var (user, _) = await UserAsync();
        Assert.Null((await Store.FindUserAsync("alice"))!.ScramSecret);
        var secret = Letterbox.Mail.Users.ScramSecret.Create("pw", 4096).ToString();
        await Store.SetScramSecretAsync(user.Id, secret);
        Assert.Equal(secret, (await Store.FindUserAsync("alice"))!.ScramSecret);
        Assert.Equal(secret, Assert.Single(await Store.ListUsersAsync()).ScramSecret);
        await Store.SetPasswordHashAsync(user.Id, "new-hash");
        Assert.Null((await Store.FindUserAsync("alice"))!.ScramSecret);
        var error = await Assert.ThrowsAsync<MailStoreException>(() => Store.SetScramSecretAsync(user.Id + 1000, secret));
        Assert.Equal(MailStoreError.NoSuchUser, error.Error);
    }

    [Fact]
    public async Task DeleteUser_RemovesMailboxesAndMessages()
    {
        var (user, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 2);
        await Store.DeleteUserAsync(user.Id);
        Assert.Null(await Store.FindUserAsync("alice"));
        Assert.Null(await Store.GetMailboxByIdAsync(inbox.Id));
        Assert.Empty(await Store.ListMailboxesAsync(user.Id));
        var error = await Assert.ThrowsAsync<MailStoreException>(() => Store.DeleteUserAsync(user.Id));
        Assert.Equal(MailStoreError.NoSuchUser, error.Error);
    }

    // ---- mailboxes ---------------------------------------------------------------------------------------

    [Fact]
    public async Task CreateMailbox_FreshUidValidity_EvenWhenRecreated()
    {
        var (user, inbox) = await UserAsync();
        var first = await Store.CreateMailboxAsync(user.Id, "Work");
        Assert.Equal(1u, first.UidNext);
        Assert.Equal(first, await Store.GetMailboxByIdAsync(first.Id));
        Assert.NotEqual(inbox.UidValidity, first.UidValidity);
        await Store.DeleteMailboxAsync(user.Id, "Work");
        var second = await Store.CreateMailboxAsync(user.Id, "Work");
        Assert.True(second.UidValidity > first.UidValidity);
        var exists = await Assert.ThrowsAsync<MailStoreException>(() => Store.CreateMailboxAsync(user.Id, "Work"));
        Assert.Equal(MailStoreError.AlreadyExists, exists.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a/../b")]
    [InlineData("bad\u0001name")]
    public async Task CreateMailbox_InvalidName_Refused(string name)
    {
        var (user, _) = await UserAsync();
        var error = await Assert.ThrowsAsync<MailStoreException>(() => Store.CreateMailboxAsync(user.Id, name));
        Assert.Equal(MailStoreError.InvalidName, error.Error);
    }

    [Fact]
    public async Task DeleteMailbox_RemovesMessages_KeepsChildren_RefusesInbox()
    {
        var (user, _) = await UserAsync();
        var parent = await Store.CreateMailboxAsync(user.Id, "Parent");
        var child = await Store.CreateMailboxAsync(user.Id, "Parent/Child");
        await AppendAsync(parent.Id, 1);
        await Store.DeleteMailboxAsync(user.Id, "Parent");
        Assert.Null(await Store.GetMailboxByIdAsync(parent.Id));
        Assert.NotNull(await Store.GetMailboxByIdAsync(child.Id));
        Assert.Equal(MailStoreError.Cannot, (await Assert.ThrowsAsync<MailStoreException>(() => Store.DeleteMailboxAsync(user.Id, "INBOX"))).Error);
        Assert.Equal(MailStoreError.NonExistent, (await Assert.ThrowsAsync<MailStoreException>(() => Store.DeleteMailboxAsync(user.Id, "Parent"))).Error);
    }

    [Fact]
    public async Task Rename_MovesChildren_KeepsUidValidityAndMessages()
    {
        var (user, _) = await UserAsync();
        var a = await Store.CreateMailboxAsync(user.Id, "A");
        var child = await Store.CreateMailboxAsync(user.Id, "A/B");
        var other = await Store.CreateMailboxAsync(user.Id, "AB");
        var uids = await AppendAsync(child.Id, 1);
        await Store.RenameMailboxAsync(user.Id, "A", "X/Y");
        Assert.Null(await Store.GetMailboxAsync(user.Id, "A"));
        var renamed = await Store.GetMailboxAsync(user.Id, "X/Y");
        var renamedChild = await Store.GetMailboxAsync(user.Id, "X/Y/B");
        Assert.Equal(a.UidValidity, renamed!.UidValidity);
        Assert.Equal(child.Id, renamedChild!.Id);
        Assert.Equal(child.UidValidity, renamedChild.UidValidity);
        Assert.Equal("AB", (await Store.GetMailboxByIdAsync(other.Id))!.Name);
        Assert.Equal(uids, (await Store.GetUidsAsync(child.Id)).Uids);
        Assert.Equal(MailStoreError.AlreadyExists, (await Assert.ThrowsAsync<MailStoreException>(() => Store.RenameMailboxAsync(user.Id, "AB", "X/Y"))).Error);
        Assert.Equal(MailStoreError.NonExistent, (await Assert.ThrowsAsync<MailStoreException>(() => Store.RenameMailboxAsync(user.Id, "Nope", "Q"))).Error);
    }

    [Fact]
    public async Task RenameInbox_MovesMessagesAndLeavesInboxEmpty()
    {
        var (user, inbox) = await UserAsync();
        var child = await Store.CreateMailboxAsync(user.Id, "INBOX/Sub");
        var uids = await AppendAsync(inbox.Id, 3);
        await Store.RenameMailboxAsync(user.Id, "INBOX", "Old");
        var old = await Store.GetMailboxAsync(user.Id, "Old");
        Assert.NotNull(old);
        Assert.NotEqual(inbox.Id, old.Id);
        Assert.Equal(3u, (await Store.GetStatusAsync(old.Id)).Messages);
        Assert.Equal(Message("Message 1"), await ReadAsync(old.Id, uids[1]));
        var status = await Store.GetStatusAsync(inbox.Id);
        Assert.Equal(0u, status.Messages);
        Assert.Equal(inbox.UidValidity, status.UidValidity);
        Assert.Equal(4u, status.UidNext);
        Assert.Equal(uids, (await Store.GetChangesAsync(inbox.Id, inbox.HighestModSeq + 1)).Expunged);
        Assert.Equal("INBOX/Sub", (await Store.GetMailboxByIdAsync(child.Id))!.Name);
    }

    [Fact]
    public async Task Subscriptions_AddRemoveIdempotent_NonexistentAllowed()
    {
        var (user, _) = await UserAsync();
        await Store.SetSubscribedAsync(user.Id, "Ghost", true);
        await Store.SetSubscribedAsync(user.Id, "Ghost", true);
        await Store.SetSubscribedAsync(user.Id, "Trash", false);
        await Store.SetSubscribedAsync(user.Id, "Trash", false);
        Assert.Equal(["Archive", "Drafts", "Ghost", "INBOX", "Junk", "Sent"], await Store.GetSubscriptionsAsync(user.Id));
    }

    [Fact]
    public async Task Status_CountsUnseenDeletedAndSize()
    {
        var (_, inbox) = await UserAsync();
        await AppendAsync(inbox.Id, 2, MessageFlags.Seen);
        await AppendAsync(inbox.Id, 1, MessageFlags.Deleted);
        var status = await Store.GetStatusAsync(inbox.Id);
        Assert.Equal(3u, status.Messages);
        Assert.Equal(1u, status.Unseen);
        Assert.Equal(1u, status.Deleted);
        Assert.Equal(4u, status.UidNext);
        Assert.Equal(3L * Message("Message 0").Length, status.Size);
        Assert.Equal(MailStoreError.NonExistent, (await Assert.ThrowsAsync<MailStoreException>(() => Store.GetStatusAsync(inbox.Id + 1000))).Error);
    }
}

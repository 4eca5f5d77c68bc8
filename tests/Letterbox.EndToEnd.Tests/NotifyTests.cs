using MailKit;
using MailKit.Net.Imap;

namespace Letterbox.EndToEnd.Tests;

/// <summary>NOTIFY (RFC 5465) with MailKit's ImapClient.NotifyAsync: new mail in another mailbox reaches an idling
/// client as <c>* STATUS</c> (MailKit updates that folder's Count), new mail in the selected one as EXISTS.</summary>
public sealed class NotifyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task MailKit_gets_status_for_another_mailbox_and_exists_for_the_selected_one()
    {
        var (name, password) = await Server.AddUserAsync("notify");
        using var a = await Server.ConnectAsync();
        using var b = await Server.ConnectAsync();
        await a.AuthenticateAsync(name, password);
        await b.AuthenticateAsync(name, password);
        Assert.True(a.Capabilities.HasFlag(ImapCapabilities.Notify));

        var archive = a.GetFolder("Archive");
        await archive.StatusAsync(StatusItems.Count | StatusItems.UidNext);
        await a.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var archiveCount = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        archive.CountChanged += (_, _) => archiveCount.TrySetResult(archive.Count);
        var inboxCount = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Inbox.CountChanged += (_, _) => inboxCount.TrySetResult(a.Inbox.Count);

        await a.NotifyAsync(false,
        [
            new ImapEventGroup(ImapMailboxFilter.Selected, [new ImapEvent.MessageNew(MessageSummaryItems.UniqueId), ImapEvent.MessageExpunge]),
            new ImapEventGroup(ImapMailboxFilter.Personal, [new ImapEvent.MessageNew(MessageSummaryItems.None), ImapEvent.MessageExpunge]),
        ]);

        using var stopIdle = new CancellationTokenSource();
        var idle = a.IdleAsync(stopIdle.Token);
        await b.GetFolder("Archive").AppendAsync(Messages.Text("to archive"));
        Assert.Equal(1, await archiveCount.Task.WaitAsync(Patience));
        await b.Inbox.AppendAsync(Messages.Text("to inbox"));
        Assert.Equal(1, await inboxCount.Task.WaitAsync(Patience));
        stopIdle.Cancel();
        await idle;

        await a.DisableNotifyAsync();
        await a.NoOpAsync();
    }
}

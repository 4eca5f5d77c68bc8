using MailKit;
using MailKit.Net.Imap;

namespace Letterbox.EndToEnd.Tests;

/// <summary>IDLE over TCP with two MailKit clients of one user (RFC 2177, RFC 9051 §6.3.13, §7.4.1): one idles
/// through <see cref="ImapClient.IdleAsync(CancellationToken, CancellationToken)"/>, the other appends, flags and
/// expunges; every change reaches the idler while it idles (pushed by the change feed, no polling).</summary>
public sealed class IdleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Idle_client_sees_another_clients_append_flag_change_and_expunge()
    {
        var (name, password) = await Server.AddUserAsync("idle");
        using var idler = await Server.ConnectAsync();
        await idler.AuthenticateAsync(name, password);
        using var other = await Server.ConnectAsync();
        await other.AuthenticateAsync(name, password);
        await idler.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await other.Inbox.OpenAsync(FolderAccess.ReadWrite);

        var exists = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flagged = new TaskCompletionSource<MessageFlags>(TaskCreationOptions.RunContinuationsAsynchronously);
        var expunged = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        idler.Inbox.CountChanged += (_, _) =>
        {
            if (idler.Inbox.Count == 1)
            {
                exists.TrySetResult(idler.Inbox.Count);
            }
        };
        idler.Inbox.MessageFlagsChanged += (_, e) =>
        {
            if ((e.Flags & MessageFlags.Flagged) != 0)
            {
                flagged.TrySetResult(e.Flags);
            }
        };
        idler.Inbox.MessageExpunged += (_, e) => expunged.TrySetResult(e.Index);

        using var done = new CancellationTokenSource();
        var idle = idler.IdleAsync(done.Token);

        var uid = await other.Inbox.AppendAsync(Messages.Text("pushed"));
        Assert.NotNull(uid);
        Assert.Equal(1, await exists.Task.WaitAsync(Timeout));

        await other.Inbox.AddFlagsAsync(uid.Value, MessageFlags.Flagged, silent: true);
        Assert.True((await flagged.Task.WaitAsync(Timeout) & MessageFlags.Flagged) != 0);

        await other.Inbox.AddFlagsAsync(uid.Value, MessageFlags.Deleted, silent: true);
        await other.Inbox.ExpungeAsync();
        Assert.Equal(0, await expunged.Task.WaitAsync(Timeout));

        done.Cancel(); // MailKit sends DONE
        await idle.WaitAsync(Timeout);
        Assert.Equal(0, idler.Inbox.Count);
        await idler.DisconnectAsync(true);
        await other.DisconnectAsync(true);
    }
}

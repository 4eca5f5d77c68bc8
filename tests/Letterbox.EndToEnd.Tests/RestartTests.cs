using MailKit;

namespace Letterbox.EndToEnd.Tests;

/// <summary>State that must survive a server restart with the same data directory.</summary>
public sealed class RestartTests
{
    /// <summary>RFC 9051 §2.3.1.1: UIDVALIDITY does not change between sessions, UIDs persist, and UIDs of
    /// expunged messages (the highest one included) are never reused — UIDNEXT survives the restart.</summary>
    [Fact]
    public async Task Uidvalidity_uids_and_uidnext_survive_restart()
    {
        await using var server = await TestServer.StartAsync();
        var (name, password) = await server.AddUserAsync("restart");
        uint validity;
        using (var client = await server.ConnectAsync())
        {
            await client.AuthenticateAsync(name, password);
            for (var i = 1; i <= 3; i++) await client.Inbox.AppendAsync(Messages.Text($"r{i}"));
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            validity = client.Inbox.UidValidity;
            await client.Inbox.AddFlagsAsync(new UniqueId(3), MessageFlags.Deleted, true);
            await client.Inbox.ExpungeAsync();
            await client.DisconnectAsync(true);
        }

        await server.RestartAsync();

        using (var client = await server.ConnectAsync())
        {
            await client.AuthenticateAsync(name, password);
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            Assert.Equal(validity, client.Inbox.UidValidity);
            Assert.Equal(2, client.Inbox.Count);
            Assert.Equal(4u, client.Inbox.UidNext?.Id);
            var uid = await client.Inbox.AppendAsync(Messages.Text("after restart"));
            Assert.Equal(4u, uid?.Id);
            Assert.Equal(validity, uid?.Validity);
            var summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);
            Assert.Equal([1u, 2u, 4u], summaries.Select(s => s.UniqueId.Id));
            Assert.Equal(["r1", "r2", "after restart"], summaries.Select(s => s.Envelope!.Subject));
        }
    }
}

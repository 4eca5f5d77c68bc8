using System.Text;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// SORT and THREAD answer from per-mailbox columns kept in memory between commands (MailboxSortCache): what one
/// session delivers, expunges or sees must show in the next SORT/THREAD of another, by sequence number as that
/// session knows it (RFC 5256 §3; RFC 9051 §7.5.1 for when EXPUNGE is told).
/// </summary>
public sealed class SortFreshnessTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static byte[] Mail(string subject, string id, string? references = null) => Encoding.ASCII.GetBytes(
        $"From: a@example.org\r\nSubject: {subject}\r\nMessage-ID: {id}\r\n" +
        (references is null ? "" : $"References: {references}\r\n") + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nBody\r\n");

    [Fact]
    public async Task SortAndThreadFollowDeliveriesAndExpungesOfOtherSessions()
    {
        var (user, password) = await fixture.Server.AddUserAsync("fresh");
        await using var reader = await fixture.Server.ConnectRawAsync();
        await using var writer = await fixture.Server.ConnectRawAsync();
        await reader.LoginAsync(user, password);
        await writer.LoginAsync(user, password);
        Assert.True((await writer.AppendAsync("a1", "INBOX", Mail("mango", "<m@x>"))).IsOk);
        Assert.True((await writer.AppendAsync("a2", "INBOX", Mail("cherry", "<c@x>"))).IsOk);
        Assert.True((await reader.CommandAsync("r1", "SELECT INBOX")).IsOk);
        Assert.Equal(["* SORT 2 1"], (await reader.CommandAsync("r2", "SORT (SUBJECT) UTF-8 ALL")).Untagged);

        Assert.True((await writer.AppendAsync("a3", "INBOX", Mail("Re: mango", "<r@x>", "<m@x>"))).IsOk);
        Assert.True((await writer.AppendAsync("a4", "INBOX", Mail("apple", "<p@x>"))).IsOk);
        var noop = await reader.CommandAsync("r3", "NOOP");
        Assert.Contains("* 4 EXISTS", noop.Untagged);
        Assert.Equal(["* SORT 4 2 1 3"], (await reader.CommandAsync("r4", "SORT (SUBJECT) UTF-8 ALL")).Untagged);
        Assert.Equal(["* THREAD (1 3)(2)(4)"], (await reader.CommandAsync("r5", "THREAD REFERENCES UTF-8 ALL")).Untagged);

        // The writer expunges "cherry" (UID 2). Until the reader is told (no EXPUNGE during a UID command, RFC 9051
        // §7.5.1) the message is still in its view, and SORT ALL still orders it; once told, SORT numbers the
        // remaining messages 1..3.
        Assert.True((await writer.CommandAsync("w1", "SELECT INBOX")).IsOk);
        Assert.True((await writer.CommandAsync("w2", "UID STORE 2 +FLAGS.SILENT (\\Deleted)")).IsOk);
        Assert.True((await writer.CommandAsync("w3", "EXPUNGE")).IsOk);
        Assert.Equal(["* SORT 4 2 1 3"], (await reader.CommandAsync("r6", "UID SORT (SUBJECT) UTF-8 ALL")).Untagged);
        var told = await reader.CommandAsync("r7", "NOOP");
        Assert.Contains("* 2 EXPUNGE", told.Untagged);
        Assert.Equal(["* SORT 3 1 2"], (await reader.CommandAsync("r8", "SORT (SUBJECT) UTF-8 ALL")).Untagged);
        Assert.Equal(["* SORT 1 2 3"], (await reader.CommandAsync("r9", "SORT (REVERSE SUBJECT) UTF-8 ALL")).Untagged);
    }
}

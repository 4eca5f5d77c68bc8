using MailKit;
using MailKit.Net.Imap;

namespace Letterbox.EndToEnd.Tests;

/// <summary>Mailbox commands through MailKit (and raw where MailKit cannot express them): SELECT, EXAMINE,
/// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LSUB, LIST, STATUS, special-use.</summary>
public sealed class MailboxTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private static async Task<List<string>> AllNamesAsync(ImapClient client, bool subscribedOnly = false)
    {
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0], StatusItems.None, subscribedOnly);
        return folders.Select(f => f.FullName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>RFC 9051 §6.3.2 SELECT: EXISTS, UIDVALIDITY, UIDNEXT, FLAGS, PERMANENTFLAGS with \* (CLIENT-QUIRKS
    /// 11), read-write.</summary>
    [Fact]
    public async Task Select_reports_counts_uids_and_flags()
    {
        using var client = await Server.NewUserClientAsync();
        var inbox = client.Inbox;
        var access = await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(FolderAccess.ReadWrite, access);
        Assert.Equal(0, inbox.Count);
        Assert.Equal(1u, inbox.UidNext?.Id);
        Assert.NotEqual(0u, inbox.UidValidity);
        Assert.True(inbox.PermanentFlags.HasFlag(MessageFlags.UserDefined), "PERMANENTFLAGS lacks \\*");
        foreach (var flag in new[] { MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft })
        {
            Assert.True(inbox.AcceptedFlags.HasFlag(flag), $"FLAGS lacks {flag}");
        }

        await inbox.AppendAsync(Messages.Text("one"));
        await inbox.AppendAsync(Messages.Text("two"));
        await inbox.CloseAsync();
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(2, inbox.Count);
        Assert.Equal(3u, inbox.UidNext?.Id);
    }

    /// <summary>RFC 9051 §6.3.2: SELECT of a nonexistent mailbox fails with NO and leaves no mailbox selected.</summary>
    [Fact]
    public async Task Select_nonexistent_is_no()
    {
        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("s1", "SELECT INBOX")).IsOk);
        var response = await raw.CommandAsync("s2", "SELECT \"No Such Box\"");
        Assert.Equal("NO", response.Status);
        // §6.3.2: a failed SELECT leaves the session in the authenticated state.
        var fetch = await raw.CommandAsync("s3", "FETCH 1:* FLAGS");
        Assert.Equal("BAD", fetch.Status);
    }

    /// <summary>RFC 9051 §6.3.3 EXAMINE: read-only ([READ-ONLY]); FETCH BODY[] does not set \Seen and STORE
    /// is refused.</summary>
    [Fact]
    public async Task Examine_is_read_only()
    {
        var (name, password) = await Server.AddUserAsync();
        using (var client = await Server.ConnectAsync())
        {
            await client.AuthenticateAsync(name, password);
            await client.Inbox.AppendAsync(Messages.Text("examine me"));
            var access = await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            Assert.Equal(FolderAccess.ReadOnly, access);
            Assert.Equal(1, client.Inbox.Count);
        }
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var examine = await raw.CommandAsync("x1", "EXAMINE INBOX");
        Assert.StartsWith("x1 OK [READ-ONLY]", examine.Tagged, StringComparison.Ordinal);
        var fetch = await raw.CommandAsync("x2", "FETCH 1 BODY[]");
        Assert.True(fetch.IsOk, fetch.ToString());
        var store = await raw.CommandAsync("x3", "STORE 1 +FLAGS (\\Flagged)");
        Assert.NotEqual("OK", store.Status);
        var flags = await raw.CommandAsync("x4", "FETCH 1 FLAGS");
        var line = Assert.Single(flags.Untagged, l => l.StartsWith("* 1 FETCH", StringComparison.Ordinal));
        Assert.DoesNotContain("\\Seen", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\Flagged", line, StringComparison.Ordinal);
    }

    /// <summary>RFC 9051 §6.3.4 CREATE, including "a/b/c" creating the superior names; CREATE of an existing name
    /// is NO; CHILDREN (RFC 3348) attributes reflect the hierarchy.</summary>
    [Fact]
    public async Task Create_nested_creates_superiors_with_children_attributes()
    {
        var (name, password) = await Server.AddUserAsync();
        await using (var raw = await Server.ConnectRawAsync())
        {
            await raw.LoginAsync(name, password);
            Assert.True((await raw.CommandAsync("c1", "CREATE a/b/c")).IsOk);
            Assert.Equal("NO", (await raw.CommandAsync("c2", "CREATE a/b/c")).Status);
            Assert.Equal("NO", (await raw.CommandAsync("c3", "CREATE inbox")).Status);
            // §6.3.4: a trailing delimiter is allowed and means the name is a future superior.
            Assert.True((await raw.CommandAsync("c4", "CREATE x/")).IsOk);
        }
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var names = await AllNamesAsync(client);
        Assert.Contains("a", names);
        Assert.Contains("a/b", names);
        Assert.Contains("a/b/c", names);
        Assert.Contains("x", names);
        var a = await client.GetFolderAsync("a");
        var c = await client.GetFolderAsync("a/b/c");
        Assert.True(a.Attributes.HasFlag(FolderAttributes.HasChildren), a.Attributes.ToString());
        Assert.True(c.Attributes.HasFlag(FolderAttributes.HasNoChildren), c.Attributes.ToString());
    }

    /// <summary>RFC 9051 §6.3.4 CREATE through MailKit's folder API, with a non-ASCII name (modified UTF-7 on
    /// the wire in IMAP4rev1, §5.1.3 / RFC 3501 §5.1.3).</summary>
    [Fact]
    public async Task Create_with_mailkit_including_non_ascii_names()
    {
        using var client = await Server.NewUserClientAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var projects = (await root.CreateAsync("Projects", true))!;
        var child = (await projects.CreateAsync("Größe & Ünïcode", true))!;
        Assert.Equal("Projects/Größe & Ünïcode", child.FullName);
        var names = await AllNamesAsync(client);
        Assert.Contains("Projects/Größe & Ünïcode", names);
        var subfolders = await projects.GetSubfoldersAsync();
        Assert.Equal(["Größe & Ünïcode"], subfolders.Select(f => f.Name));
        await child.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(0, child.Count);
    }

    /// <summary>RFC 9051 §6.3.5 DELETE: the mailbox disappears; deleting INBOX or a nonexistent name is NO;
    /// deleting a parent with children keeps the children (\Noselect parent or removed name).</summary>
    [Fact]
    public async Task Delete_removes_mailbox()
    {
        using var client = await Server.NewUserClientAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var trashMe = (await root.CreateAsync("TrashMe", true))!;
        await trashMe.AppendAsync(Messages.Text("in deleted box"));
        await trashMe.DeleteAsync();
        Assert.DoesNotContain("TrashMe", await AllNamesAsync(client));

        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.Equal("NO", (await raw.CommandAsync("d1", "DELETE nothing-here")).Status);
        Assert.Equal("NO", (await raw.CommandAsync("d1b", "DELETE INBOX")).Status);
        // §6.3.5: deleting a mailbox with inferiors removes only it (its name may stay as \Noselect)...
        Assert.True((await raw.CommandAsync("d2", "CREATE r")).IsOk);
        Assert.True((await raw.CommandAsync("d2b", "CREATE r/s")).IsOk);
        Assert.True((await raw.CommandAsync("d3", "DELETE r")).IsOk);
        var list = await raw.CommandAsync("d4", "LIST \"\" \"r*\"");
        Assert.Contains(list.Untagged, l => Unquote(l).EndsWith(" \"/\" r/s", StringComparison.Ordinal));
        Assert.DoesNotContain(list.Untagged, l => Unquote(l).EndsWith(" \"/\" r", StringComparison.Ordinal) && !l.Contains("\\Noselect", StringComparison.Ordinal));
        // ...but a \Noselect name with inferiors cannot be deleted.
        Assert.True((await raw.CommandAsync("d4b", "CREATE p/q")).IsOk);
        var superior = await raw.CommandAsync("d4c", "LIST \"\" p");
        if (superior.Untagged.Single().Contains("\\Noselect", StringComparison.Ordinal))
        {
            Assert.Equal("NO", (await raw.CommandAsync("d4d", "DELETE p")).Status);
        }
        // Recreating a deleted name gives a new mailbox with a new UIDVALIDITY (§6.3.5 / §2.3.1.1).
        Assert.True((await raw.CommandAsync("d5", "CREATE again")).IsOk);
        var s1 = await raw.CommandAsync("d6", "STATUS again (UIDVALIDITY)");
        Assert.True((await raw.CommandAsync("d7", "DELETE again")).IsOk);
        Assert.True((await raw.CommandAsync("d8", "CREATE again")).IsOk);
        var s2 = await raw.CommandAsync("d9", "STATUS again (UIDVALIDITY)");
        Assert.NotEqual(s1.Untagged.Single(), s2.Untagged.Single());
    }

    /// <summary>RFC 9051 §6.3.6 RENAME: renames the mailbox and its children, keeps its messages; the old name
    /// is gone; renaming to an existing name is NO.</summary>
    [Fact]
    public async Task Rename_moves_children_and_messages()
    {
        var (name, password) = await Server.AddUserAsync();
        await using (var raw = await Server.ConnectRawAsync())
        {
            await raw.LoginAsync(name, password);
            Assert.True((await raw.CommandAsync("r1", "CREATE old")).IsOk);
            Assert.True((await raw.CommandAsync("r1b", "CREATE old/child")).IsOk);
            Assert.True((await raw.CommandAsync("r1c", "CREATE old/child/grandchild")).IsOk);
        }
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var old = await client.GetFolderAsync("old");
        var child = await client.GetFolderAsync("old/child");
        await child.AppendAsync(Messages.Text("kept"));
        await child.StatusAsync(StatusItems.UidValidity);
        var validity = child.UidValidity;
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        await old.RenameAsync(root, "new");
        var names = await AllNamesAsync(client);
        Assert.Contains("new", names);
        Assert.Contains("new/child", names);
        Assert.Contains("new/child/grandchild", names);
        Assert.DoesNotContain(names, n => n.StartsWith("old", StringComparison.Ordinal));
        var moved = await client.GetFolderAsync("new/child");
        await moved.StatusAsync(StatusItems.Count | StatusItems.UidValidity);
        Assert.Equal(1, moved.Count);
        Assert.Equal(validity, moved.UidValidity);

        await using var raw2 = await Server.ConnectRawAsync();
        await raw2.LoginAsync(name, password);
        Assert.Equal("NO", (await raw2.CommandAsync("r2", "RENAME new Sent")).Status);
        Assert.Equal("NO", (await raw2.CommandAsync("r3", "RENAME missing other")).Status);
    }

    /// <summary>RFC 9051 §6.3.6: renaming INBOX moves all its messages to the new mailbox and leaves INBOX in
    /// place, empty.</summary>
    [Fact]
    public async Task Rename_inbox_moves_messages_and_keeps_empty_inbox()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        await client.Inbox.AppendAsync(Messages.Text("m1"));
        await client.Inbox.AppendAsync(Messages.Text("m2"));
        await using (var raw = await Server.ConnectRawAsync())
        {
            await raw.LoginAsync(name, password);
            var response = await raw.CommandAsync("r1", "RENAME INBOX \"Old Inbox\"");
            Assert.True(response.IsOk, response.ToString());
        }
        await client.Inbox.StatusAsync(StatusItems.Count);
        Assert.Equal(0, client.Inbox.Count);
        var oldInbox = await client.GetFolderAsync("Old Inbox");
        await oldInbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(2, oldInbox.Count);
        var summaries = await oldInbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.UniqueId);
        Assert.Equal(["m1", "m2"], summaries.Select(s => s.Envelope!.Subject));
        Assert.Contains("INBOX", await AllNamesAsync(client));
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(0, client.Inbox.Count);
    }

    /// <summary>RFC 9051 §6.3.7 SUBSCRIBE, §6.3.8 UNSUBSCRIBE; RFC 3501 §6.3.9 LSUB; the default mailboxes are
    /// subscribed (CLIENT-QUIRKS 3).</summary>
    [Fact]
    public async Task Subscribe_unsubscribe_and_lsub()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var news = (await root.CreateAsync("News", true))!;
        var subscribed = await AllNamesAsync(client, subscribedOnly: true);
        Assert.Contains("INBOX", subscribed);
        Assert.Contains("Sent", subscribed);
        Assert.DoesNotContain("News", subscribed);
        await news.SubscribeAsync();
        Assert.Contains("News", await AllNamesAsync(client, subscribedOnly: true));
        await news.UnsubscribeAsync();
        Assert.DoesNotContain("News", await AllNamesAsync(client, subscribedOnly: true));

        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("u1", "SUBSCRIBE News")).IsOk);
        var lsub = await raw.CommandAsync("u2", "LSUB \"\" \"*\"");
        Assert.True(lsub.IsOk, lsub.ToString());
        Assert.Contains(lsub.Untagged, l => l.StartsWith("* LSUB (", StringComparison.Ordinal) && Unquote(l).EndsWith(" \"/\" News", StringComparison.Ordinal));
        Assert.Contains(lsub.Untagged, l => l.StartsWith("* LSUB", StringComparison.Ordinal) && l.Contains("INBOX", StringComparison.Ordinal));
        Assert.True((await raw.CommandAsync("u3", "UNSUBSCRIBE News")).IsOk);
        lsub = await raw.CommandAsync("u4", "LSUB \"\" \"*\"");
        Assert.DoesNotContain(lsub.Untagged, l => l.Contains("News", StringComparison.Ordinal));
    }

    /// <summary>RFC 9051 §6.3.9 LIST: "*" matches across levels, "%" one level; the empty pattern returns the
    /// delimiter; INBOX is matched case-insensitively.</summary>
    [Fact]
    public async Task List_wildcards_and_delimiter()
    {
        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        Assert.True((await raw.CommandAsync("l1", "CREATE top/mid/leaf")).IsOk);

        // §6.3.4: "top" and "top/mid" are created as superiors; a server may make them \Noselect.
        var percent = await raw.CommandAsync("l2", "LIST \"\" \"top/%\"");
        Assert.Equal(["* LIST (\\HasChildren) \"/\" top/mid"], percent.Untagged.Select(Unquote).Select(NoNoselect));

        var star = await raw.CommandAsync("l3", "LIST \"\" \"top/*\"");
        Assert.Equal(["* LIST (\\HasChildren) \"/\" top/mid", "* LIST (\\HasNoChildren) \"/\" top/mid/leaf"], star.Untagged.Select(Unquote).Select(NoNoselect).Order(StringComparer.Ordinal));

        var topLevel = await raw.CommandAsync("l4", "LIST \"\" \"%\"");
        var topNames = topLevel.Untagged.Select(l => Unquote(l).Split(' ').Last()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash", "top"], topNames);

        var delimiter = await raw.CommandAsync("l5", "LIST \"\" \"\"");
        Assert.Equal(["* LIST (\\Noselect) \"/\" \"\""], delimiter.Untagged);

        var inbox = await raw.CommandAsync("l6", "LIST \"\" inbox");
        var inboxLine = Assert.Single(inbox.Untagged);
        Assert.EndsWith(" INBOX", Unquote(inboxLine), StringComparison.Ordinal);

        var reference = await raw.CommandAsync("l7", "LIST top/ %");
        Assert.Equal(["* LIST (\\HasChildren) \"/\" top/mid"], reference.Untagged.Select(Unquote).Select(NoNoselect));
    }

    private static string NoNoselect(string line) => line.Replace("(\\Noselect ", "(", StringComparison.Ordinal);

    /// <summary>Normalises a LIST/LSUB line so a mailbox name sent quoted or as an atom compares equal
    /// (both are allowed by the astring grammar, RFC 9051 §9).</summary>
    private static string Unquote(string line)
    {
        var i = line.IndexOf(") \"/\" ", StringComparison.Ordinal);
        if (i < 0) return line;
        var head = line[..(i + 6)];
        var name = line[(i + 6)..];
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"') name = name[1..^1];
        return head + name;
    }

    /// <summary>RFC 6154 §2 special-use attributes on a plain LIST (CLIENT-QUIRKS 3), through MailKit's
    /// GetFolder(SpecialFolder).</summary>
    [Fact]
    public async Task Special_use_folders_are_found()
    {
        using var client = await Server.NewUserClientAsync();
        Assert.Equal("Sent", client.GetFolder(SpecialFolder.Sent)?.FullName);
        Assert.Equal("Drafts", client.GetFolder(SpecialFolder.Drafts)?.FullName);
        Assert.Equal("Trash", client.GetFolder(SpecialFolder.Trash)?.FullName);
        Assert.Equal("Junk", client.GetFolder(SpecialFolder.Junk)?.FullName);
        Assert.Equal("Archive", client.GetFolder(SpecialFolder.Archive)?.FullName);

        var (name, password) = await Server.AddUserAsync();
        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var list = await raw.CommandAsync("l1", "LIST \"\" Sent");
        var line = Assert.Single(list.Untagged);
        Assert.Contains("\\Sent", line, StringComparison.Ordinal);
    }

    /// <summary>RFC 9051 §6.3.11 STATUS: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, SIZE, DELETED of a mailbox that
    /// is not selected.</summary>
    [Fact]
    public async Task Status_reports_counts()
    {
        var (name, password) = await Server.AddUserAsync();
        using var client = await Server.ConnectAsync();
        await client.AuthenticateAsync(name, password);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var box = (await root.CreateAsync("Stat", true))!;
        var m1 = Messages.Text("a");
        await box.AppendAsync(m1, MessageFlags.Seen);
        await box.AppendAsync(Messages.Text("b"), MessageFlags.Deleted);
        await box.AppendAsync(Messages.Text("c"));
        await box.StatusAsync(StatusItems.Count | StatusItems.UidNext | StatusItems.UidValidity | StatusItems.Unread);
        Assert.Equal(3, box.Count);
        Assert.Equal(4u, box.UidNext?.Id);
        Assert.Equal(2, box.Unread);
        Assert.NotEqual(0u, box.UidValidity);

        await using var raw = await Server.ConnectRawAsync();
        await raw.LoginAsync(name, password);
        var status = await raw.CommandAsync("s1", "STATUS Stat (MESSAGES UIDNEXT UNSEEN DELETED SIZE)");
        var line = Assert.Single(status.Untagged);
        var size = Messages.ToBytes(m1).Length;
        Assert.StartsWith("* STATUS Stat (", line, StringComparison.Ordinal);
        Assert.Contains("MESSAGES 3", line, StringComparison.Ordinal);
        Assert.Contains("UIDNEXT 4", line, StringComparison.Ordinal);
        Assert.Contains("UNSEEN 2", line, StringComparison.Ordinal);
        Assert.Contains("DELETED 1", line, StringComparison.Ordinal);
        Assert.Contains("SIZE ", line, StringComparison.Ordinal);
        Assert.True(size > 0);
        Assert.Equal("NO", (await raw.CommandAsync("s2", "STATUS Missing (MESSAGES)")).Status);
    }
}

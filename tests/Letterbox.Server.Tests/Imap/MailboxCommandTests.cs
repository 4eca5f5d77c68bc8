namespace Letterbox.Server.Tests.Imap;

public sealed class MailboxCommandTests
{
    [Fact]
    public async Task Plain_list_shows_default_mailboxes_with_special_use_attributes()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.Equal(
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n" +
            "* LIST (\\HasNoChildren \\Archive) \"/\" Archive\r\n" +
            "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n" +
            "* LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n" +
            "* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n" +
            "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n" +
            "a1 OK LIST completed\r\n",
            await s.CommandAsync("a1", "LIST \"\" *"));
    }

    [Fact]
    public async Task List_empty_pattern_returns_delimiter()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.Equal("* LIST (\\Noselect) \"/\" \"\"\r\na1 OK LIST completed\r\n", await s.CommandAsync("a1", "LIST \"\" \"\""));
    }

    [Fact]
    public async Task Create_hierarchy_lists_intermediate_levels_as_noselect_or_nonexistent()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.Equal("a1 OK CREATE completed\r\n", await s.CommandAsync("a1", "CREATE Projects/2024/Q1/"));
        Assert.Equal(
            "* LIST (\\Noselect \\HasChildren) \"/\" Projects\r\na2 OK LIST completed\r\n",
            await s.CommandAsync("a2", "LIST \"\" Proj%"));
        Assert.Equal(
            "* LIST (\\NonExistent \\HasChildren) \"/\" Projects/2024\r\n" +
            "* LIST (\\HasNoChildren) \"/\" Projects/2024/Q1\r\n" +
            "a3 OK LIST completed\r\n",
            await s.CommandAsync("a3", "LIST () Projects/ * RETURN (CHILDREN)"));
    }

    [Fact]
    public async Task Create_existing_and_invalid_names_are_refused_with_codes()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.StartsWith("a1 NO [ALREADYEXISTS] ", await s.CommandAsync("a1", "CREATE Sent"), StringComparison.Ordinal);
        Assert.StartsWith("a2 NO [ALREADYEXISTS] ", await s.CommandAsync("a2", "CREATE inbox"), StringComparison.Ordinal);
        Assert.StartsWith("a3 NO [CANNOT] ", await s.CommandAsync("a3", "CREATE a//b"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_use_sets_special_use()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.Equal("a1 OK CREATE completed\r\n", await s.CommandAsync("a1", "CREATE Everything (USE (\\All))"));
        Assert.Equal(
            "* LIST (\\HasNoChildren \\All) \"/\" Everything\r\na2 OK LIST completed\r\n",
            await s.CommandAsync("a2", "LIST (SPECIAL-USE) \"\" Every*"));
    }

    [Fact]
    public async Task Rename_and_delete()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        await s.CommandAsync("a1", "CREATE Old/Child");
        await s.CommandAsync("a2", "CREATE Old");
        Assert.Equal("a3 OK RENAME completed\r\n", await s.CommandAsync("a3", "RENAME Old New"));
        Assert.Equal(
            "* LIST (\\HasChildren) \"/\" New\r\n* LIST (\\HasNoChildren) \"/\" New/Child\r\na4 OK LIST completed\r\n",
            await s.CommandAsync("a4", "LIST \"\" New*"));
        Assert.StartsWith("a5 NO [NONEXISTENT] ", await s.CommandAsync("a5", "RENAME Old Other"), StringComparison.Ordinal);
        Assert.Equal("a6 OK DELETE completed\r\n", await s.CommandAsync("a6", "DELETE New/Child"));
        Assert.StartsWith("a7 NO [NONEXISTENT] ", await s.CommandAsync("a7", "DELETE New/Child"), StringComparison.Ordinal);
        Assert.StartsWith("a8 NO [CANNOT] ", await s.CommandAsync("a8", "DELETE inbox"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_lsub_and_list_subscribed()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        await s.CommandAsync("a1", "CREATE Lists/Dev");
        Assert.Equal("a2 OK SUBSCRIBE completed\r\n", await s.CommandAsync("a2", "SUBSCRIBE Lists/Dev"));
        Assert.Equal("* LSUB (\\Noselect) \"/\" Lists\r\na3 OK LSUB completed\r\n", await s.CommandAsync("a3", "LSUB \"\" L%"));
        Assert.Equal("* LSUB () \"/\" Lists/Dev\r\na4 OK LSUB completed\r\n", await s.CommandAsync("a4", "LSUB \"\" Lists/*"));
        Assert.Equal(
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" Lists/Dev\r\na5 OK LIST completed\r\n",
            await s.CommandAsync("a5", "LIST (SUBSCRIBED) \"\" L*"));
        Assert.Equal(
            "* LIST (\\NonExistent \\HasChildren) \"/\" Lists (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\na6 OK LIST completed\r\n",
            await s.CommandAsync("a6", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" L%"));
        Assert.Equal("a7 OK UNSUBSCRIBE completed\r\n", await s.CommandAsync("a7", "UNSUBSCRIBE Lists/Dev"));
        Assert.Equal("a8 OK LSUB completed\r\n", await s.CommandAsync("a8", "LSUB \"\" Lists*"));
    }

    [Fact]
    public async Task List_return_subscribed_and_status()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        var reply = await s.CommandAsync("a1", "LIST \"\" INBOX RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN RECENT))");
        Assert.Equal(
            "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 0 UNSEEN 0 RECENT 0)\r\na1 OK LIST completed\r\n",
            reply);
    }

    [Fact]
    public async Task List_names_use_modified_utf7_until_utf8_is_enabled()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        Assert.Equal("a1 OK CREATE completed\r\n", await s.CommandAsync("a1", "CREATE \"Entw&APw-rfe\""));
        Assert.Equal("* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe\r\na2 OK LIST completed\r\n", await s.CommandAsync("a2", "LIST \"\" Entw*"));
        await s.CommandAsync("a3", "ENABLE IMAP4rev2");
        Assert.Equal("* LIST (\\HasNoChildren) \"/\" \"Entwürfe\"\r\na4 OK LIST completed\r\n", await s.CommandAsync("a4", "LIST \"\" Entw*"));
    }

    [Fact]
    public async Task Status_reports_every_item_and_nonexistent()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.LoginAsync();
        var inbox = (await s.Store.GetMailboxAsync(s.User.Id, "INBOX"))!;
        var reply = await s.CommandAsync("a1", "STATUS inbox (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ)");
        Assert.Equal(
            $"* STATUS INBOX (MESSAGES 0 UIDNEXT {inbox.UidNext} UIDVALIDITY {inbox.UidValidity} UNSEEN 0 DELETED 0 SIZE 0 RECENT 0 HIGHESTMODSEQ {inbox.HighestModSeq})\r\na1 OK STATUS completed\r\n",
            reply);
        Assert.StartsWith("a2 NO [NONEXISTENT] ", await s.CommandAsync("a2", "STATUS Nope (MESSAGES)"), StringComparison.Ordinal);
    }
}

using Letterbox.Imap.Commands;
using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Tests.Parsing;

/// <summary>The NOTIFY grammar (RFC 5465 §8) and the rules that make a NOTIFY command BAD (§5, §6.1).</summary>
public class NotifyCommandTests
{
    private static NotifyCommand Parse(string wire)
    {
        var h = ReaderHarness.Run(wire);
        var outcome = Assert.Single(h.Outcomes);
        Assert.True(outcome.Status == ReadStatus.Request, ReaderHarness.Describe(outcome));
        return Assert.IsType<NotifyCommand>(outcome.Request!.Command);
    }

    [Fact]
    public void NotifyNone()
    {
        var command = Parse("a NOTIFY NONE\r\n");
        Assert.False(command.Set);
        Assert.Empty(command.Groups);
    }

    /// <summary>The example of RFC 5465 §3.1, lower case, with a fetch-att list for SELECTED.</summary>
    [Fact]
    public void RfcExampleWithStatusSelectedFetchAttributesAndSubtree()
    {
        // The RFC's example omits the parentheses around the events and gives MessageNew alone for the subtree,
        // which the formal syntax (§8) and §5 make BAD; here in the grammar's form.
        var command = Parse("b notify set status (selected (MessageNew (uid body.peek[header.fields (from to subject)]) MessageExpunge)) (subtree Lists (MessageNew MessageExpunge))\r\n");
        Assert.True(command.Set);
        Assert.True(command.Status);
        Assert.Equal(2, command.Groups.Count);
        var selected = command.Groups[0];
        Assert.Equal(NotifyFilterKind.Selected, selected.Filter);
        Assert.Equal(NotifyEvents.MessageNew | NotifyEvents.MessageExpunge, selected.Events);
        Assert.Equal(["UID", "BODY[HEADER.FIELDS (FROM TO SUBJECT)]"], selected.FetchItems.Select(i => i.Label));
        var subtree = command.Groups[1];
        Assert.Equal(NotifyFilterKind.Subtree, subtree.Filter);
        Assert.Equal(["Lists"], subtree.Names);
        Assert.Empty(subtree.FetchItems);
    }

    [Theory]
    [InlineData("a NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge FlagChange))", NotifyFilterKind.SelectedDelayed, "", NotifyEvents.MessageNew | NotifyEvents.MessageExpunge | NotifyEvents.FlagChange)]
    [InlineData("a NOTIFY SET (personal (MailboxName SubscriptionChange))", NotifyFilterKind.Personal, "", NotifyEvents.MailboxName | NotifyEvents.SubscriptionChange)]
    [InlineData("a NOTIFY SET (INBOXES (MessageExpunge MessageNew AnnotationChange))", NotifyFilterKind.Inboxes, "", NotifyEvents.MessageNew | NotifyEvents.MessageExpunge | NotifyEvents.AnnotationChange)]
    [InlineData("a NOTIFY SET (Subscribed NONE)", NotifyFilterKind.Subscribed, "", NotifyEvents.None)]
    [InlineData("a NOTIFY SET (MAILBOXES (inbox \"Other Box\" {3+}\r\nx*%) (MessageNew MessageExpunge))", NotifyFilterKind.Mailboxes, "INBOX|Other Box|x*%", NotifyEvents.MessageNew | NotifyEvents.MessageExpunge)]
    [InlineData("a NOTIFY SET (SUBTREE (a b/c) (MailboxName))", NotifyFilterKind.Subtree, "a|b/c", NotifyEvents.MailboxName)]
    [InlineData("a NOTIFY SET (SELECTED (MessageNew (UID FLAGS ENVELOPE) MessageExpunge FlagChange))", NotifyFilterKind.Selected, "", NotifyEvents.MessageNew | NotifyEvents.MessageExpunge | NotifyEvents.FlagChange)]
    public void OneGroup(string line, NotifyFilterKind filter, string names, NotifyEvents events)
    {
        var group = Assert.Single(Parse(line + "\r\n").Groups);
        Assert.Equal(filter, group.Filter);
        Assert.Equal(names.Length == 0 ? [] : names.Split('|'), group.Names);
        Assert.Equal(events, group.Events);
        Assert.Empty(group.UnsupportedEvents);
    }

    /// <summary>§3.1: unknown or unsupported events are not a syntax error; the handler answers NO [BADEVENT].</summary>
    [Fact]
    public void UnsupportedEventsAreCollectedForBadEvent()
    {
        var group = Assert.Single(Parse("a NOTIFY SET (PERSONAL (MailboxMetadataChange ServerMetadataChange x-future))\r\n").Groups);
        Assert.Equal(["MailboxMetadataChange", "ServerMetadataChange", "x-future"], group.UnsupportedEvents);
    }

    [Fact]
    public void SeveralGroupsKeepTheirOrder()
    {
        var command = Parse("a NOTIFY SET (selected (MessageNew (uid flags) MessageExpunge)) (personal (MessageNew FlagChange MessageExpunge)) (subscribed (SubscriptionChange))\r\n");
        Assert.Equal([NotifyFilterKind.Selected, NotifyFilterKind.Personal, NotifyFilterKind.Subscribed], command.Groups.Select(g => g.Filter));
        Assert.False(command.Status);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "a NOTIFY\r\n", "SET or NONE" },
        { "a NOTIFY ALL\r\n", "Expected NOTIFY SET or NOTIFY NONE" },
        { "a NOTIFY SET\r\n", "Missing" },
        { "a NOTIFY SET STATUS\r\n", "Missing" },
        { "a NOTIFY SET PERSONAL (MessageNew MessageExpunge)\r\n", "'(' to start an event group" },
        { "a NOTIFY SET (EVERYWHERE (MailboxName))\r\n", "Unknown mailbox filter EVERYWHERE" },
        { "a NOTIFY SET (PERSONAL (MessageNew))\r\n", "MessageNew and MessageExpunge must be given together" },
        { "a NOTIFY SET (PERSONAL (MessageExpunge))\r\n", "MessageNew and MessageExpunge must be given together" },
        { "a NOTIFY SET (PERSONAL (FlagChange))\r\n", "FlagChange and AnnotationChange need MessageNew and MessageExpunge" },
        { "a NOTIFY SET (SELECTED (MailboxName))\r\n", "SELECTED and SELECTED-DELAYED take only message events" },
        { "a NOTIFY SET (SELECTED (MessageNew MessageExpunge)) (SELECTED-DELAYED (MessageNew MessageExpunge))\r\n", "Only one of SELECTED and SELECTED-DELAYED" },
        { "a NOTIFY SET (PERSONAL (MessageNew (UID) MessageExpunge))\r\n", "only allowed for SELECTED" },
        { "a NOTIFY SET (SELECTED (MessageNew () MessageExpunge))\r\n", "fetch" },
        { "a NOTIFY SET (SELECTED (MessageNew (UID BOGUS) MessageExpunge))\r\n", "BOGUS" },
        { "a NOTIFY SET (PERSONAL (MailboxName MailboxName))\r\n", "given twice" },
        { "a NOTIFY SET (PERSONAL ())\r\n", "event name" },
        { "a NOTIFY SET (PERSONAL (MailboxName)\r\n", "')' to end the event group" },
        { "a NOTIFY SET (MAILBOXES (MailboxName))\r\n", "" },
        { "a NOTIFY SET (SUBTREE)\r\n", "mailbox" },
        { "a NOTIFY SET (PERSONAL (MailboxName)) extra\r\n", "" },
        { "a NOTIFY NONE extra\r\n", "" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void BadInputIsRejectedAndTheReaderStaysUsable(string wire, string expected)
    {
        var h = ReaderHarness.Run(wire + "z NOOP\r\n");
        Assert.Equal(2, h.Outcomes.Count);
        Assert.Equal(ReadStatus.Error, h.Outcomes[0].Status);
        Assert.False(h.Outcomes[0].IsNo);
        Assert.Contains(expected, ReaderHarness.Describe(h.Outcomes[0]), StringComparison.Ordinal);
        Assert.Equal("z", h.Outcomes[1].Request?.Tag);
    }

    [Theory]
    [InlineData("a NOTIFY SET STATUS (selected (MessageNew (uid body.peek[header.fields (from)]) MessageExpunge)) (mailboxes {5+}\r\nInbox (MessageNew MessageExpunge))\r\n")]
    [InlineData("a NOTIFY SET (PERSONAL (MessageNew))\r\n")]
    public void SplitAtEveryOffsetGivesTheSameResult(string wire)
    {
        var whole = ReaderHarness.Run(wire);
        var length = System.Text.Encoding.UTF8.GetByteCount(wire);
        for (var i = 1; i < length; i++)
        {
            Assert.Equal(whole.Events, ReaderHarness.Run(wire, [i]).Events);
        }
    }
}

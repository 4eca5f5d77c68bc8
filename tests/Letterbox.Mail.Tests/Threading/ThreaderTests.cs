using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;
using static Letterbox.Mail.Tests.Sorting.SortFixtures;

namespace Letterbox.Mail.Tests.Threading;

/// <summary>THREAD REFERENCES and ORDEREDSUBJECT (RFC 5256 §3), rendered as the §4 response would be.</summary>
public sealed class ThreaderTests
{
    private static string References(params SortableMessage[] messages) => Render(ReferencesThreader.Thread(messages), messages);

    private static string Ordered(params SortableMessage[] messages) => Render(OrderedSubjectThreader.Thread(messages), messages);

    /// <summary>The RFC 5256 §4 example <c>(2)(3 6 (4 23)(44 7 96))</c>, rebuilt from References headers.</summary>
    [Fact]
    public void ReproducesTheRfcExampleTree()
    {
        Assert.Equal("(2)(3 6 (4 23)(44 7 96))", References(RfcThreadExample()));
    }

    /// <summary>§4 <c>((3)(5))</c>: siblings whose parent is not among the messages keep a dummy root (§3 step 3:
    /// not promoted to the root when there are several).</summary>
    [Fact]
    public void SiblingsOfAMissingParentShareADummy()
    {
        Assert.Equal("((3)(5))", References(Message(3, "x", 1, "<a>", "<gone>"), Message(5, "y", 2, "<b>", "<gone>")));
        Assert.Equal("(3)", References(Message(3, "x", 1, "<a>", "<gone>")));  // one child: promoted
    }

    [Fact]
    public void InReplyToIsUsedOnlyWithoutReferences()
    {
        Assert.Equal("(1 2)(3)", References(
            Message(1, "a", 1, "<a>"),
            Message(2, "b", 2, "<b>", inReplyTo: "<a> (sent by a@x)"),
            Message(3, "c", 3, "<c>", "<zzz>", inReplyTo: "<a>")));
    }

    /// <summary>Quoting does not make ids differ (§3 note: &lt;"01KF8"@x&gt; is &lt;01KF8@x&gt;); case does.</summary>
    [Fact]
    public void MessageIdsAreNormalisedButCaseSensitive()
    {
        Assert.Equal("(1 2)", References(Message(1, "a", 1, "<\"01KF8\"@x.com>"), Message(2, "b", 2, "<b>", "<01KF8@x.com>")));
        Assert.Equal("(1)(2)", References(Message(1, "a", 1, "<abc@x>"), Message(2, "b", 2, "<b>", "<ABC@x>")));
    }

    /// <summary>A second message with the same id gets a unique one; references go to the first (§3 1.A).</summary>
    [Fact]
    public void DuplicateIdsBelongToTheFirstMessage()
    {
        Assert.Equal("(1 3)(2)", References(Message(1, "a", 1, "<x>"), Message(2, "b", 2, "<x>"), Message(3, "c", 3, "<c>", "<x>")));
    }

    /// <summary>Links that would close a loop are not made (§3 1.A, 1.B).</summary>
    [Fact]
    public void LoopsAreNotCreated()
    {
        Assert.Equal("(2 1)", References(Message(1, "a", 1, "<a>", "<b>"), Message(2, "b", 2, "<b>", "<a>")));
        Assert.Equal("(1)", References(Message(1, "a", 1, "<a>", "<a>")));
        // 1 links b→a from its own References; 2 (id b) then may not become a's child.
        Assert.Equal("(2 1)", References(Message(1, "a", 1, "<a>", "<b> <a> <b>"), Message(2, "b", 2, "<b>", "<a>")));
        // A three-message loop (a→c, b→a, c→b): c would become b's child while b descends from c (c, a, b), so
        // that last link is refused (1.B: "make sure A is not a descendent of B", at any depth). MailKit's
        // MessageThreader checks direct children only; the generated mailbox of the MailKit comparison therefore has
        // two-message loops only (SortThreadTests).
        Assert.Equal("(3 1 2)", References(Message(1, "a", 1, "<a>", "<c>"), Message(2, "b", 2, "<b>", "<a>"), Message(3, "c", 3, "<c>", "<b>")));
        // The same loop through a References chain (1.A): 3's chain b, a may not make a a child of b.
        Assert.Equal("(3 1 2)", References(Message(1, "a", 1, "<a>", "<c>"), Message(2, "b", 2, "<b>", "<a>"), Message(3, "c", 3, "<c>", "<b> <a> <b>")));
    }

    /// <summary>1.B: a message's own last reference replaces a parent given by another message's truncated
    /// References; the orphaned dummy is pruned and the single-child dummy root promoted (§3 step 3).</summary>
    [Fact]
    public void OwnReferencesOverrideOthers()
    {
        Assert.Equal("(2 1)", References(Message(1, "a", 2, "<r>", "<p> <q>"), Message(2, "b", 1, "<q>", "<z>")));
    }

    /// <summary>Step 5: threads with the same base subject are gathered: a reply goes under the original; two
    /// originals get a dummy parent; an empty subject is never gathered.</summary>
    [Fact]
    public void ThreadsWithTheSameSubjectAreGathered()
    {
        Assert.Equal("(1 2)", References(Message(1, "Hello", 1, "<a>"), Message(2, "Re: hello", 2, "<b>")));
        Assert.Equal("(2 1)", References(Message(1, "Re: Hello", 2, "<a>"), Message(2, "Hello", 1, "<b>")));
        Assert.Equal("((1)(2))", References(Message(1, "Hello", 1, "<a>"), Message(2, "Hello", 2, "<b>")));
        Assert.Equal("((1)(2)(3))", References(Message(1, "Hello", 1, "<a>"), Message(2, "Hello", 2, "<b>"), Message(3, "Hello", 3, "<c>")));
        Assert.Equal("(1)(2)", References(Message(1, "", 1, "<a>"), Message(2, "Re:", 2, "<b>")));
        // A dummy-rooted thread absorbs a later thread with its subject.
        Assert.Equal("((1)(2)(3))", References(Message(1, "x", 1, "<a>", "<gone>"), Message(2, "x", 2, "<b>", "<gone>"), Message(3, "Re: x", 3, "<c>")));
    }

    /// <summary>Steps 4 and 6: threads and siblings ordered by sent date, ties by mailbox order; a dummy by its
    /// earliest child.</summary>
    [Fact]
    public void SiblingsAndThreadsAreOrderedBySentDate()
    {
        Assert.Equal("(3)(1 (4)(2))(5)", References(
            Message(1, "a", 2, "<a>"),
            Message(2, "b", 9, "<b>", "<a>"),
            Message(3, "c", 1, "<c>"),
            Message(4, "d", 5, "<d>", "<a>"),
            Message(5, "e", 2, "<e>")));
    }

    /// <summary>A reply chain far deeper than the call stack would allow recursively.</summary>
    [Fact]
    public void DeepChainsDoNotOverflow()
    {
        var messages = new SortableMessage[20000];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = Message((uint)i + 1, "x", i, $"<m{i}>", i == 0 ? null : $"<m{i - 1}>");
        }
        var tree = ReferencesThreader.Thread(messages);
        Assert.Equal(1, tree.Roots.Length);
        var depth = 0;
        for (var node = tree.Roots[0]; node >= 0; node = tree.FirstChild(node)) depth++;
        Assert.Equal(messages.Length, depth);
    }

    /// <summary>ORDEREDSUBJECT (§3): grouped by base subject, children of the first message, threads by the
    /// date of their first message.</summary>
    [Fact]
    public void OrderedSubject()
    {
        Assert.Equal("(5)(1 (2)(4))(3)", Ordered(
            Message(1, "a", 1), Message(2, "Re: a", 3), Message(3, "b", 2), Message(4, "RE: A", 4), Message(5, "c", 0)));
        Assert.Equal("(2 1)", Ordered(Message(1, "Re: a", 3), Message(2, "a", 1)));
        Assert.Equal("(1 2)", Ordered(Message(1, "a", 3), Message(2, "a", 3)));
        Assert.Equal("", Ordered());
    }
}

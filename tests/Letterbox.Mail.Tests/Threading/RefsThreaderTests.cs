using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;
using static Letterbox.Mail.Tests.Sorting.SortFixtures;

namespace Letterbox.Mail.Tests.Threading;

/// <summary>THREAD REFS (draft-ietf-morg-inthread, THREAD=REFS section): REFERENCES (RFC 5256 §3) steps 1–3, no
/// subject gathering, threads ordered by their newest message, siblings by sent date.</summary>
public sealed class RefsThreaderTests
{
    private static string Refs(params SortableMessage[] messages) => Render(ReferencesThreader.ThreadRefs(messages), messages);

    private static string References(params SortableMessage[] messages) => Render(ReferencesThreader.Thread(messages), messages);

    /// <summary>The links are REFERENCES' (step 1): the RFC 5256 §4 example tree comes out the same.</summary>
    [Fact]
    public void LinksAreThoseOfReferences()
    {
        var messages = RfcThreadExample();
        Assert.Equal("(2)(3 6 (4 23)(44 7 96))", Refs(messages));
        Assert.Equal(References(messages), Refs(messages));
    }

    /// <summary>REFS does not gather threads by base subject (REFERENCES step 5 is left out).</summary>
    [Fact]
    public void SameSubjectIsNotGathered()
    {
        Assert.Equal("(1 2)", References(Message(1, "Hello", 1, "<a>"), Message(2, "Re: hello", 2, "<b>")));
        Assert.Equal("(1)(2)", Refs(Message(1, "Hello", 1, "<a>"), Message(2, "Re: hello", 2, "<b>")));
        Assert.Equal("(1)(2)(3)", Refs(Message(1, "Hello", 1, "<a>"), Message(2, "Hello", 2, "<b>"), Message(3, "Hello", 3, "<c>")));
    }

    /// <summary>A thread's place is set by its newest message: an old thread with a fresh reply moves after a
    /// newer single message; REFERENCES orders by the first message instead.</summary>
    [Fact]
    public void ThreadsAreOrderedByTheirNewestMessage()
    {
        SortableMessage[] messages =
        [
            Message(1, "old", 1, "<a>"),
            Message(2, "new", 5, "<b>"),
            Message(3, "Re: old", 9, "<c>", "<a>"),
            Message(4, "other", 3, "<d>"),
        ];
        Assert.Equal("(1 3)(4)(2)", References(messages));
        Assert.Equal("(4)(2)(1 3)", Refs(messages));
    }

    /// <summary>Siblings keep REFERENCES' step 6 order (own sent date, ties by mailbox order); the newest message may
    /// sit deep in the thread and still orders it.</summary>
    [Fact]
    public void SiblingsAreOrderedBySentDateAndDeepRepliesCount()
    {
        SortableMessage[] messages =
        [
            Message(1, "a", 1, "<a>"),
            Message(2, "b", 4, "<b>", "<a>"),
            Message(3, "c", 2, "<c>", "<a>"),
            Message(4, "d", 20, "<d>", "<a> <c>"),
            Message(5, "e", 10, "<e>"),
            Message(6, "f", 4, "<f>", "<a>"),
        ];
        Assert.Equal("(5)(1 (3 4)(2)(6))", Refs(messages));
    }

    /// <summary>A dummy root with several children stays (step 3); its thread is ordered by its newest child.
    /// Ties between threads go by the mailbox order of their newest message.</summary>
    [Fact]
    public void DummyRootsAndTies()
    {
        Assert.Equal("(3)((1)(2))", Refs(Message(1, "x", 1, "<a>", "<gone>"), Message(2, "y", 7, "<b>", "<gone>"), Message(3, "z", 5, "<c>")));
        Assert.Equal("(1)(2)", Refs(Message(1, "x", 5, "<a>"), Message(2, "y", 5, "<b>")));
        Assert.Equal("(2)(1)", Refs(Message(2, "x", 5, "<a>"), Message(1, "y", 5, "<b>")));
        Assert.Equal("", Refs());
    }

    /// <summary>A reply chain far deeper than the call stack would allow recursively (the shared steps are
    /// iterative, and so is the REFS finish).</summary>
    [Fact]
    public void DeepChainsDoNotOverflow()
    {
        var messages = new SortableMessage[20000];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = Message((uint)i + 1, "", i, $"<m{i}>", i == 0 ? null : $"<m{i - 1}>");
        }
        var tree = ReferencesThreader.ThreadRefs(messages);
        Assert.Equal(1, tree.Roots.Length);
    }
}

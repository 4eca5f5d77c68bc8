using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Tests.Parsing;

public class CommandParserTests
{
    [Theory]
    [MemberData(nameof(CommandTable.Valid), MemberType = typeof(CommandTable))]
    public void ValidCommandParses(string wire, string expected)
    {
        var h = ReaderHarness.Run(wire);
        var outcome = Assert.Single(h.Outcomes);
        Assert.Equal(ReadStatus.Request, outcome.Status);
        Assert.Contains(expected, ReaderHarness.Describe(outcome), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CommandTable.Invalid), MemberType = typeof(CommandTable))]
    public void InvalidCommandIsRejectedAndReaderStaysUsable(string wire, string expected)
    {
        var h = ReaderHarness.Run(wire + "z NOOP\r\n");
        Assert.Equal(2, h.Outcomes.Count);
        Assert.Equal(ReadStatus.Error, h.Outcomes[0].Status);
        Assert.Contains(expected, ReaderHarness.Describe(h.Outcomes[0]), StringComparison.Ordinal);
        Assert.Equal("z", h.Outcomes[1].Request?.Tag);
    }

    [Theory]
    [MemberData(nameof(CommandTable.Valid), MemberType = typeof(CommandTable))]
    [MemberData(nameof(CommandTable.Invalid), MemberType = typeof(CommandTable))]
    public void SplitAtEveryOffsetGivesTheSameResult(string wire, string expected)
    {
        _ = expected;
        var whole = ReaderHarness.Run(wire);
        Assert.NotEmpty(whole.Events);
        var length = System.Text.Encoding.UTF8.GetByteCount(wire);
        for (var i = 1; i < length; i++)
        {
            var split = ReaderHarness.Run(wire, [i]);
            Assert.Equal(whole.Events, split.Events);
        }
        Assert.Equal(whole.Events, ReaderHarness.RunByteAtATime(wire).Events);
    }

    [Fact]
    public void SingleFetchItemLabelsFollowRfc()
    {
        var h = ReaderHarness.Run("a FETCH 1 (RFC822.HEADER BODY[1.2.HEADER]<10.5> BODY.PEEK[TEXT])\r\n");
        var fetch = Assert.IsType<Letterbox.Imap.Commands.FetchCommand>(h.Outcomes[0].Request?.Command);
        Assert.Equal(["RFC822.HEADER", "BODY[1.2.HEADER]<10>", "BODY[TEXT]"], fetch.Items.Select(i => i.Label));
        Assert.True(fetch.Items[2].Peek);
        Assert.Equal(10, fetch.Items[1].PartialOffset);
        Assert.Equal(5, fetch.Items[1].PartialLength);
    }

    [Fact]
    public void PipelinedCommandsInOneBufferAreAllRead()
    {
        var h = ReaderHarness.Run("a NOOP\r\nb CAPABILITY\r\nc LOGOUT\r\n");
        Assert.Equal(["a", "b", "c"], h.Outcomes.Select(o => o.Request?.Tag));
    }

    [Fact]
    public void BareLfLineEndIsAccepted()
    {
        var h = ReaderHarness.Run("a NOOP\n");
        Assert.Equal("a", Assert.Single(h.Outcomes).Request?.Tag);
    }

    [Fact]
    public void TooManySequenceRangesIsLimit()
    {
        var h = ReaderHarness.Run("a FETCH 1,2,3,4 FLAGS\r\n", limits: new ImapLimits { MaxSequenceSetRanges = 3 });
        Assert.Equal("LIMIT", Assert.Single(h.Outcomes).ResponseCode);
    }

    [Fact]
    public void NestingDepthLimitIsEnforced()
    {
        var limits = new ImapLimits { MaxNestingDepth = 4 };
        Assert.Equal(ReadStatus.Request, ReaderHarness.Run("a SEARCH ((((ALL))))\r\n", limits: limits).Outcomes[0].Status);
        var deep = ReaderHarness.Run("a SEARCH (((((ALL)))))\r\n", limits: limits).Outcomes[0];
        Assert.Equal(ReadStatus.Error, deep.Status);
        Assert.Equal("LIMIT", deep.ResponseCode);
    }

    [Fact]
    public void DeepNotChainDoesNotOverflowTheStack()
    {
        var wire = "a SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 10000)) + "ALL\r\n";
        var outcome = Assert.Single(ReaderHarness.Run(wire).Outcomes);
        Assert.Equal(ReadStatus.Error, outcome.Status);
        Assert.Equal("LIMIT", outcome.ResponseCode);
    }

    [Fact]
    public void TagTooLongIsUntaggedBad()
    {
        var h = ReaderHarness.Run(new string('t', 65) + " NOOP\r\n");
        var outcome = Assert.Single(h.Outcomes);
        Assert.Equal(ReadStatus.Error, outcome.Status);
        Assert.Null(outcome.Tag);
    }
}

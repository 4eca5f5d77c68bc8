using Letterbox.Imap.Commands;
using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Tests.Parsing;

/// <summary>
/// The parser side of THREAD REFS (draft-ietf-morg-inthread), SORT RETURN (SAVE) (RFC 5182 §2.4, RFC 5267 §3), <c>$</c>
/// as a SORT/THREAD search key (RFC 5182 §2.1), and PARTIAL (RFC 9394 §4) for SEARCH, SORT and UID FETCH — each also
/// split at every byte, like <see cref="CommandParserTests"/>.
/// </summary>
public class SearchReturnExtensionTests
{
    private static T Parse<T>(string wire) where T : ImapCommand
    {
        var h = ReaderHarness.Run(wire);
        var outcome = Assert.Single(h.Outcomes);
        Assert.True(outcome.Status == ReadStatus.Request, ReaderHarness.Describe(outcome));
        var whole = h.Events;
        for (var i = 1; i < wire.Length; i++)
        {
            Assert.Equal(whole, ReaderHarness.Run(wire, [i]).Events);
        }
        return Assert.IsType<T>(outcome.Request!.Command);
    }

    private static string Error(string wire)
    {
        var h = ReaderHarness.Run(wire + "z NOOP\r\n");
        Assert.Equal(2, h.Outcomes.Count);
        Assert.Equal(ReadStatus.Error, h.Outcomes[0].Status);
        Assert.Equal("z", h.Outcomes[1].Request?.Tag);
        for (var i = 1; i < wire.Length; i++)
        {
            Assert.Equal(h.Events, ReaderHarness.Run(wire + "z NOOP\r\n", [i]).Events);
        }
        return h.Outcomes[0].ErrorText!;
    }

    [Theory]
    [InlineData("a THREAD REFS UTF-8 ALL\r\n", false)]
    [InlineData("a uid thread refs us-ascii $\r\n", true)]
    public void ThreadRefs(string wire, bool uid)
    {
        var command = Parse<ThreadCommand>(wire);
        Assert.Equal(ThreadAlgorithm.Refs, command.Algorithm);
        Assert.Equal(uid, command.Uid);
    }

    /// <summary>RFC 5182 §2.1: <c>$</c> stands for the saved result wherever a sequence set may, so also as the search
    /// key of SORT and THREAD.</summary>
    [Fact]
    public void SavedResultIsASortAndThreadSearchKey()
    {
        var sort = Parse<SortCommand>("a SORT (DATE) UTF-8 $\r\n");
        Assert.True(Assert.IsType<Letterbox.Mail.Search.SequenceSetKey>(sort.Key).Set.IsSavedResult);
        var thread = Parse<ThreadCommand>("a THREAD REFERENCES UTF-8 UID $ SEEN\r\n");
        Assert.IsType<Letterbox.Mail.Search.AndKey>(thread.Key);
    }

    [Fact]
    public void SortReturnSave()
    {
        var command = Parse<SortCommand>("a UID SORT RETURN (SAVE MIN) (ARRIVAL) UTF-8 ALL\r\n");
        Assert.Equal(SearchReturnOptions.Save | SearchReturnOptions.Min, command.Return);
        Assert.Null(command.Partial);
    }

    /// <summary>RFC 9394 §4: <c>partial-range-first</c> and <c>partial-range-last</c>, ends in either order, kept as
    /// given.</summary>
    [Theory]
    [InlineData("a SEARCH RETURN (PARTIAL 1:500) ALL\r\n", false, 1u, 500u)]
    [InlineData("a UID SEARCH RETURN (COUNT PARTIAL -1:-100 SAVE) UNDELETED UNKEYWORD $Junk\r\n", true, 1u, 100u)]
    [InlineData("a SEARCH RETURN (partial 500:400) ALL\r\n", false, 500u, 400u)]
    [InlineData("a SEARCH RETURN (PARTIAL -4294967295:-1) ALL\r\n", true, 4294967295u, 1u)]
    public void SearchPartial(string wire, bool fromEnd, uint first, uint last)
    {
        var command = Parse<SearchCommand>(wire);
        Assert.Equal(new PartialRange(fromEnd, first, last), command.Partial);
        Assert.True((command.Return & SearchReturnOptions.Partial) != 0);
        Assert.True((command.Return & SearchReturnOptions.All) == 0);
    }

    [Fact]
    public void SortPartial()
    {
        var command = Parse<SortCommand>("a SORT RETURN (PARTIAL -1:-50) (REVERSE ARRIVAL) UTF-8 ALL\r\n");
        Assert.Equal(new PartialRange(true, 1, 50), command.Partial);
        Assert.Equal(SearchReturnOptions.Partial, command.Return);
    }

    /// <summary>RFC 9394 §3.3: PARTIAL as a UID FETCH modifier, alone or with CHANGEDSINCE in either order (§3.4).</summary>
    [Theory]
    [InlineData("a UID FETCH 25900:26600 (UID FLAGS) (PARTIAL -1:-3)\r\n", null)]
    [InlineData("a UID FETCH 1:* (FLAGS) (PARTIAL -1:-30 CHANGEDSINCE 98305)\r\n", 98305ul)]
    [InlineData("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 98305 PARTIAL -1:-30)\r\n", 98305ul)]
    public void UidFetchPartial(string wire, ulong? changedSince)
    {
        var command = Parse<FetchCommand>(wire);
        Assert.NotNull(command.Partial);
        Assert.True(command.Partial!.Value.FromEnd);
        Assert.Equal(changedSince, command.ChangedSince);
    }

    [Theory]
    [InlineData("a SEARCH RETURN (PARTIAL 1:5 ALL) ALL\r\n", "ALL and PARTIAL cannot be combined (RFC 9394 §3.1)")]
    [InlineData("a SEARCH RETURN (PARTIAL 1:5 PARTIAL 6:9) ALL\r\n", "PARTIAL may be given only once (RFC 9394 §3.1)")]
    [InlineData("a SEARCH RETURN (PARTIAL 1:*) ALL\r\n", "Expected a number for a PARTIAL range (e.g. 1:100 or -1:-100)")]
    [InlineData("a SEARCH RETURN (PARTIAL 1:5,7) ALL\r\n", "Invalid PARTIAL range: expected e.g. 1:100 or -1:-100")]
    [InlineData("a SEARCH RETURN (PARTIAL 0:5) ALL\r\n", "Invalid PARTIAL range: each end is between 1 and 4294967295")]
    [InlineData("a SEARCH RETURN (PARTIAL 1:4294967296) ALL\r\n", "Invalid PARTIAL range: each end is between 1 and 4294967295")]
    [InlineData("a SEARCH RETURN (PARTIAL -1:5) ALL\r\n", "Invalid PARTIAL range: both ends count from the start (1:100) or both from the end (-1:-100)")]
    [InlineData("a SEARCH RETURN (PARTIAL 5) ALL\r\n", "Expected ':' in the PARTIAL range (e.g. 1:100 or -1:-100)")]
    [InlineData("a SEARCH RETURN (PARTIAL) ALL\r\n", "Expected a space before a PARTIAL range")]
    [InlineData("a SORT RETURN (ALL PARTIAL 1:2) (DATE) UTF-8 ALL\r\n", "ALL and PARTIAL cannot be combined (RFC 9394 §3.1)")]
    [InlineData("a FETCH 1:* (FLAGS) (PARTIAL 1:5)\r\n", "PARTIAL is a UID FETCH modifier and may be given once (RFC 9394 §3.3)")]
    [InlineData("a UID FETCH 1:* (FLAGS) (PARTIAL 1:5 PARTIAL 1:5)\r\n", "PARTIAL is a UID FETCH modifier and may be given once (RFC 9394 §3.3)")]
    [InlineData("a THREAD REFS\r\n", "Missing argument: expected a charset")]
    public void Refusals(string wire, string text) => Assert.Equal(text, Error(wire));

    /// <summary>RFC 9394 §3.1: "-1 is the last message"; ranges beyond the results are cut, or empty (NIL).</summary>
    [Theory]
    [InlineData(false, 1u, 3u, 10, 0, 3)]
    [InlineData(false, 3u, 1u, 10, 0, 3)]
    [InlineData(false, 8u, 20u, 10, 7, 3)]
    [InlineData(false, 11u, 20u, 10, 0, 0)]
    [InlineData(true, 1u, 3u, 10, 7, 3)]
    [InlineData(true, 3u, 1u, 10, 7, 3)]
    [InlineData(true, 8u, 20u, 10, 0, 3)]
    [InlineData(true, 11u, 20u, 10, 0, 0)]
    [InlineData(true, 1u, 4294967295u, 0, 0, 0)]
    [InlineData(false, 4294967295u, 4294967295u, 5, 0, 0)]
    public void Slice(bool fromEnd, uint first, uint last, int total, int start, int count)
    {
        Assert.Equal((start, count), new PartialRange(fromEnd, first, last).Slice(total));
    }
}

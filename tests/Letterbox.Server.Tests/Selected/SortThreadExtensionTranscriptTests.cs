using Letterbox.Mail.Messages;

namespace Letterbox.Server.Tests.Selected;

/// <summary>
/// THREAD=REFS (draft-ietf-morg-inthread), MODSEQ in SORT/ESORT/THREAD (RFC 7162 §3.1.9, §3.1.10, RFC 4731 §3.2),
/// SORT RETURN (SAVE) and <c>$</c> in SORT/THREAD (RFC 5182 §2.1, §2.4), and PARTIAL (RFC 9394) over a connection, on
/// the fixture of <see cref="SortThreadTranscriptTests"/>: sequence numbers 1..6 are UIDs 1 3 4 5 6 7; by sent date
/// 5 3 2 6 1 4 (4 has no valid Date, so its INTERNALDATE — now — is the newest).
/// </summary>
public sealed class SortThreadExtensionTranscriptTests
{
    /// <summary>Sends a command expected to answer OK with one untagged line, the command's tag in it replaced by t.</summary>
    private static async Task<string> OneLineAsync(SelectedClient client, string command)
    {
        var line = Assert.Single(await client.SendOkAsync(command));
        return line.Replace($"(TAG \"{client.LastTag}\")", "(TAG \"t\")", StringComparison.Ordinal);
    }

    [Fact]
    public async Task CapabilityListsRefsAndPartial()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        var atoms = (await client.SendOkAsync("CAPABILITY"))[0].Split(' ');
        Assert.Contains("THREAD=REFS", atoms);
        Assert.Contains("PARTIAL", atoms);
    }

    /// <summary>REFS: REFERENCES' links without subject gathering (1 and 4, "banana" and "Fwd: banana", stay apart),
    /// threads ordered by their newest message (the "apple" thread's newest is 4 Jan, after cherry's 1 Jan).</summary>
    [Fact]
    public async Task ThreadRefs()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        Assert.Equal(["* THREAD (5)(3 (2)(6))(1 4)"], await client.SendOkAsync("THREAD REFERENCES UTF-8 ALL"));
        Assert.Equal(["* THREAD (5)(3 (2)(6))(1)(4)"], await client.SendOkAsync("THREAD REFS UTF-8 ALL"));
        Assert.Equal(["* THREAD (6)(4 (3)(7))(1)(5)"], await client.SendOkAsync("UID THREAD REFS UTF-8 ALL"));
        Assert.Equal(["* THREAD ((2)(6))"], await client.SendOkAsync("THREAD REFS UTF-8 NOT 3 SUBJECT re"));
        Assert.Equal(["* THREAD"], await client.SendOkAsync("THREAD REFS UTF-8 DELETED"));
        var bad = await client.SendAsync("THREAD REFS UTF-8 1:9");
        Assert.Equal(client.LastTag + " BAD Invalid message sequence number", bad[^1]);
    }

    /// <summary>RFC 7162 §3.1.9: SORT with a MODSEQ key appends <c>(MODSEQ n)</c>, the highest of the messages
    /// returned, unless nothing matched; §3.1.10 / RFC 4731 §3.2: ESORT returns MODSEQ, for MIN or MAX alone the
    /// MODSEQ of that message; THREAD is unchanged.</summary>
    [Fact]
    public async Task SortModSeq()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        var since = (await h.Store.GetStatusAsync(h.Inbox.Id)).HighestModSeq;
        var first = (await h.Store.StoreFlagsAsync(h.Inbox.Id, [4], FlagOperation.Add, MessageFlags.Flagged, [])).Changed[0].ModSeq;
        var last = (await h.Store.StoreFlagsAsync(h.Inbox.Id, [6], FlagOperation.Add, MessageFlags.Flagged, [])).Changed[0].ModSeq;
        Assert.True(last > first);
        await client.SendOkAsync("NOOP");

        // UIDs 4 and 6 are sequence numbers 3 and 5; by date 5 (1 Jan) before 3 (2 Jan).
        Assert.Equal($"* SORT 5 3 (MODSEQ {last})", await OneLineAsync(client, $"SORT (DATE) UTF-8 MODSEQ {since + 1}"));
        Assert.Equal($"* SORT 4 6 (MODSEQ {last})", await OneLineAsync(client, $"UID SORT (SUBJECT) UTF-8 MODSEQ {since + 1}"));
        Assert.Equal($"* SORT 3 (MODSEQ {first})", await OneLineAsync(client, $"SORT (DATE) UTF-8 MODSEQ {since + 1} NOT 5"));
        Assert.Equal("* SORT", await OneLineAsync(client, $"SORT (DATE) UTF-8 MODSEQ {last + 1}"));
        Assert.Equal("* SORT 5 3", await OneLineAsync(client, "SORT (DATE) UTF-8 FLAGGED"));

        Assert.Equal($"* ESEARCH (TAG \"t\") ALL 5,3 MODSEQ {last}", await OneLineAsync(client, $"SORT RETURN (ALL) (DATE) UTF-8 MODSEQ {since + 1}"));
        Assert.Equal($"* ESEARCH (TAG \"t\") MAX 3 MODSEQ {first}", await OneLineAsync(client, $"SORT RETURN (MAX) (DATE) UTF-8 MODSEQ {since + 1}"));
        Assert.Equal($"* ESEARCH (TAG \"t\") UID MIN 6 MODSEQ {last}", await OneLineAsync(client, $"UID SORT RETURN (MIN) (DATE) UTF-8 MODSEQ {since + 1}"));
        Assert.Equal($"* ESEARCH (TAG \"t\") MIN 5 COUNT 2 MODSEQ {last}", await OneLineAsync(client, $"SORT RETURN (MIN COUNT) (REVERSE SUBJECT) UTF-8 MODSEQ {since + 1}"));
        Assert.Equal("* ESEARCH (TAG \"t\") COUNT 0", await OneLineAsync(client, $"SORT RETURN (COUNT) (DATE) UTF-8 MODSEQ {last + 1}"));
        Assert.Equal("* THREAD (5)(3)", await OneLineAsync(client, $"THREAD REFERENCES UTF-8 MODSEQ {since + 1}"));
        Assert.Equal("* THREAD (5)(3)", await OneLineAsync(client, $"THREAD REFS UTF-8 MODSEQ {since + 1}"));

        // RFC 4731 §3.2 for SEARCH too: MIN alone reports the MIN message's MODSEQ. SEARCH MODSEQ is CONDSTORE-enabling
        // (RFC 7162 §3.1) and this is the first such command — SORT and THREAD are not in §3.1's list.
        var lines = await client.SendOkAsync($"SEARCH RETURN (MIN) MODSEQ {since + 1}");
        Assert.Equal([$"* OK [HIGHESTMODSEQ {last}] Highest", $"* ESEARCH (TAG \"{client.LastTag}\") MIN 3 MODSEQ {first}"], lines);
    }

    /// <summary>RFC 5182 §2.4 with ESORT: SAVE keeps the matches (order irrelevant), or only the MIN/MAX message when
    /// neither ALL nor COUNT is asked for (MIN/MAX in sort order, RFC 5267 §3.1); SAVE alone sends no ESEARCH; a BAD
    /// SORT or SEARCH with SAVE leaves <c>$</c> alone (§2.1). <c>$</c> works as the search key of SEARCH, SORT and
    /// THREAD.</summary>
    [Fact]
    public async Task SortReturnSave()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        // SUBJECT banana matches 1, 4 and 6; by date 6 (4 Jan), 1 (5 Jan), 4 (now).
        Assert.Empty(await client.SendOkAsync("SORT RETURN (SAVE) (DATE) UTF-8 SUBJECT banana"));
        Assert.Equal(["* SEARCH 1 4 6"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal(["* SEARCH 1 5 7"], await client.SendOkAsync("UID SEARCH $"));
        Assert.Equal(["* SORT 4 1 6"], await client.SendOkAsync("SORT (REVERSE DATE) UTF-8 $"));
        Assert.Equal(["* SORT 5 1 7"], await client.SendOkAsync("UID SORT (REVERSE DATE) UTF-8 $"));
        Assert.Equal(["* THREAD (6)(1)(4)"], await client.SendOkAsync("THREAD REFS UTF-8 $"));
        Assert.Equal(["* THREAD (7)(1)(5)"], await client.SendOkAsync("UID THREAD REFS UTF-8 $"));
        Assert.Equal(["* THREAD (1 (6)(4))"], await client.SendOkAsync("THREAD REFERENCES UTF-8 $"));
        Assert.Equal(["* SORT 1"], await client.SendOkAsync("SORT (DATE) UTF-8 $ NOT FROM zoe NOT FROM eve"));

        Assert.Equal("* ESEARCH (TAG \"t\") MIN 6", await OneLineAsync(client, "SORT RETURN (SAVE MIN) (DATE) UTF-8 SUBJECT banana"));
        Assert.Equal(["* SEARCH 6"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal("* ESEARCH (TAG \"t\") UID MIN 7 MAX 5", await OneLineAsync(client, "UID SORT RETURN (MAX SAVE MIN) (DATE) UTF-8 SUBJECT banana"));
        Assert.Equal(["* SEARCH 4 6"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal("* ESEARCH (TAG \"t\") MIN 6 COUNT 3", await OneLineAsync(client, "SORT RETURN (SAVE MIN COUNT) (DATE) UTF-8 SUBJECT banana"));
        Assert.Equal(["* SEARCH 1 4 6"], await client.SendOkAsync("SEARCH $"));

        // A BAD command does not change $, also with SAVE (RFC 9051 §6.4.4.1, RFC 5182 §2.1).
        var bad = await client.SendAsync("SORT RETURN (SAVE) (DATE) UTF-8 7");
        Assert.Equal(client.LastTag + " BAD Invalid message sequence number", bad[^1]);
        bad = await client.SendAsync("SEARCH RETURN (SAVE) 1:7");
        Assert.Equal(client.LastTag + " BAD Invalid message sequence number", bad[^1]);
        Assert.Equal(["* SEARCH 1 4 6"], await client.SendOkAsync("SEARCH $"));
        // An empty result is saved as such.
        Assert.Empty(await client.SendOkAsync("SORT RETURN (SAVE) (DATE) UTF-8 DELETED"));
        Assert.Equal(["* SEARCH"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal(["* SORT"], await client.SendOkAsync("SORT (DATE) UTF-8 $"));
        Assert.Equal(["* THREAD"], await client.SendOkAsync("THREAD REFS UTF-8 $"));
    }

    /// <summary>RFC 9394 §3.1: PARTIAL counts in mailbox order for SEARCH (in sort order for SORT, RFC 5267 §4.4),
    /// -1 is the last result, the answer repeats the range as given and is NIL beyond the results.</summary>
    [Fact]
    public async Task SearchAndSortPartial()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (1:2 1:2)", await OneLineAsync(client, "SEARCH RETURN (PARTIAL 1:2) ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") UID PARTIAL (-1:-2 6:7)", await OneLineAsync(client, "UID SEARCH RETURN (PARTIAL -1:-2) ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") UID PARTIAL (3:1 1,3:4)", await OneLineAsync(client, "UID SEARCH RETURN (PARTIAL 3:1) ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") COUNT 6 PARTIAL (5:10 5:6)", await OneLineAsync(client, "SEARCH RETURN (PARTIAL 5:10 COUNT) ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (7:9 NIL)", await OneLineAsync(client, "SEARCH RETURN (PARTIAL 7:9) ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (-7:-100 NIL)", await OneLineAsync(client, "SEARCH RETURN (PARTIAL -7:-100) ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") COUNT 0 PARTIAL (1:10 NIL)", await OneLineAsync(client, "SEARCH RETURN (COUNT PARTIAL 1:10) DELETED"));

        // Sorted by date: 5 3 2 6 1 4.
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (1:3 5,3,2)", await OneLineAsync(client, "SORT RETURN (PARTIAL 1:3) (DATE) UTF-8 ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (-1:-2 1,4)", await OneLineAsync(client, "SORT RETURN (PARTIAL -1:-2) (DATE) UTF-8 ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") UID MIN 6 PARTIAL (-2:-1 1,5)", await OneLineAsync(client, "UID SORT RETURN (MIN PARTIAL -2:-1) (DATE) UTF-8 ALL"));
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (4:6 2:3,5)", await OneLineAsync(client, "SORT RETURN (PARTIAL 4:6) (REVERSE DATE) UTF-8 ALL"));
    }

    /// <summary>RFC 9394 §3.2 Table 1: with PARTIAL, <c>$</c> holds the PARTIAL messages plus MIN/MAX, or every match
    /// with COUNT.</summary>
    [Fact]
    public async Task PartialWithSave()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (-1:-2 5:6)", await OneLineAsync(client, "SEARCH RETURN (SAVE PARTIAL -1:-2) ALL"));
        Assert.Equal(["* SEARCH 5 6"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal("* ESEARCH (TAG \"t\") MIN 1 PARTIAL (-1:-2 5:6)", await OneLineAsync(client, "SEARCH RETURN (SAVE PARTIAL -1:-2 MIN) ALL"));
        Assert.Equal(["* SEARCH 1 5 6"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal("* ESEARCH (TAG \"t\") MAX 4 PARTIAL (1:2 5,3)", await OneLineAsync(client, "SORT RETURN (SAVE PARTIAL 1:2 MAX) (DATE) UTF-8 ALL"));
        Assert.Equal(["* SEARCH 3 4 5"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal("* ESEARCH (TAG \"t\") COUNT 6 PARTIAL (1:2 5,3)", await OneLineAsync(client, "SORT RETURN (SAVE PARTIAL 1:2 COUNT) (DATE) UTF-8 ALL"));
        Assert.Equal(["* SEARCH 1 2 3 4 5 6"], await client.SendOkAsync("SEARCH $"));
        Assert.Equal("* ESEARCH (TAG \"t\") PARTIAL (9:10 NIL)", await OneLineAsync(client, "SEARCH RETURN (SAVE PARTIAL 9:10) ALL"));
        Assert.Equal(["* SEARCH"], await client.SendOkAsync("SEARCH $"));
    }

    /// <summary>RFC 9394 §3.3: the PARTIAL UID FETCH modifier answers only for that range of the set's messages (in
    /// UID order); on FETCH it is BAD.</summary>
    [Fact]
    public async Task UidFetchPartial()
    {
        var (h, client) = await SortThreadTranscriptTests.SetUpAsync();
        await using var _ = h;
        Assert.Equal(["* 5 FETCH (UID 6)", "* 6 FETCH (UID 7)"], await client.SendOkAsync("UID FETCH 1:* (UID) (PARTIAL -1:-2)"));
        Assert.Equal(["* 3 FETCH (UID 4)"], await client.SendOkAsync("UID FETCH 2:5 (UID) (PARTIAL 2:2)"));
        Assert.Equal(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"], await client.SendOkAsync("UID FETCH 1:* (UID) (PARTIAL 2:1)"));
        Assert.Empty(await client.SendOkAsync("UID FETCH 1:* (UID) (PARTIAL 7:8)"));
        Assert.Empty(await client.SendOkAsync("UID FETCH 100:200 (UID) (PARTIAL -1:-5)"));
        var bad = await client.SendAsync("FETCH 1:* (UID) (PARTIAL 1:2)");
        Assert.Equal(client.LastTag + " BAD PARTIAL is a UID FETCH modifier and may be given once (RFC 9394 §3.3)", bad[^1]);
    }
}

using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;

namespace Letterbox.Mail.Tests.Sorting;

/// <summary>Keys computed from an ENVELOPE (RFC 5256 §2.2 sent date, §3 FROM/TO/CC, RFC 5957 §3 display values):
/// regressions found by the corpus conformance set (<see cref="CorpusSortKeysTests"/>).</summary>
public sealed class SortKeysTests
{
    /// <summary>RFC 5256 §2.2: the sent date is the Date header adjusted to UTC. RFC 5322 §4.3 obs-zone names are
    /// case-insensitive ABNF strings (RFC 5234 §2.3): "cst" is -0600 (corpus netscape-1990s.mbox#22).</summary>
    [Theory]
    [InlineData("Tue, 28 May 1996 12:24:23 cst", "1996-05-28T18:24:23Z")]
    [InlineData("Tue, 28 May 1996 12:24:23 CST", "1996-05-28T18:24:23Z")]
    [InlineData("Sun, 7 May 95 16:21:03 GMT", "1995-05-07T16:21:03Z")]
    [InlineData("Wed, 20 Sep 1995 00:19:00 (EDT) -0400", "1995-09-20T04:19:00Z")]   // a comment is CFWS
    [InlineData("Mon, 22 Mar 1993 09:41:09 -0800 (PST)", "1993-03-22T17:41:09Z")]
    [InlineData("Fri, 23 Aug 2002 2:32:53 -0400", "2002-08-23T06:32:53Z")]           // one-digit hour, as written
    public void SentDateIsUtc(string date, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), SortKeys.ParseSentDate(date));
    }

    /// <summary>RFC 5256 §2.2: a Date that cannot be parsed gives no sent date (INTERNALDATE is used instead).</summary>
    [Theory]
    [InlineData("Whenever")]
    [InlineData("")]
    [InlineData(null)]
    public void UnparsableDateHasNoSentDate(string? date) => Assert.Null(SortKeys.ParseSentDate(date));

    /// <summary>RFC 5957 §3: a display name in a charset .NET does not load by default is still decoded.</summary>
    [Fact]
    public void DisplayNameInUtf7IsDecoded()
    {
        var envelope = new Envelope(null, null, [new EnvelopeAddress("=?utf-7?Q?Heinz_M+APw-ller?=", null, "mueller", "example.com")], null, null,
            [new EnvelopeAddress("=?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=", null, "x", "x.com")], null, null, null, null);
        var keys = SortKeys.FromEnvelope(envelope, null);
        Assert.Equal(UnicodeCasemap.Key("Heinz M\u00fcller"), keys.DisplayFrom);
        Assert.Equal(UnicodeCasemap.Key("\u65e5\u672c\u8a9e"), keys.DisplayTo);
        Assert.Equal("MUELLER", keys.From);
    }
}

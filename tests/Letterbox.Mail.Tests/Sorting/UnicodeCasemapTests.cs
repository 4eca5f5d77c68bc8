using Letterbox.Mail.Sorting;

namespace Letterbox.Mail.Tests.Sorting;

/// <summary>i;unicode-casemap (RFC 5051 §2): titlecase, NFKD, code point order.</summary>
public sealed class UnicodeCasemapTests
{
    [Theory]
    [InlineData("hello", "HELLO")]
    [InlineData("Straße", "STRAßE")]      // simple mappings only: ß has no one-character titlecase
    [InlineData("café", "CAFE\u0301")]    // NFKD splits é
    [InlineData("\uFB01le", "fiLE")]       // ﬁ has no simple titlecase; NFKD then expands it (titlecase comes first)
    [InlineData("\u01C6emal", "Dz\u030CEMAL")] // ǆ titlecases to ǅ (not Ǆ), whose NFKD is D, z, combining caron
    [InlineData("", "")]
    public void KeysAreTitlecasedAndDecomposed(string value, string expected)
    {
        Assert.Equal(expected, UnicodeCasemap.Key(value));
    }

    [Fact]
    public void CaseDoesNotMatterButAccentsDo()
    {
        Assert.Equal(UnicodeCasemap.Key("ABC"), UnicodeCasemap.Key("abc"));
        Assert.Equal(UnicodeCasemap.Key("CAFÉ"), UnicodeCasemap.Key("café"));
        Assert.NotEqual(UnicodeCasemap.Key("cafe"), UnicodeCasemap.Key("café"));
        Assert.True(UnicodeCasemap.Compare(UnicodeCasemap.Key("cafe"), UnicodeCasemap.Key("café")) < 0); // prefix first
    }

    /// <summary>Keys compare as UTF-8 octets: U+1F600 (4 octets, F0…) after U+FF21 (EF…), although its UTF-16
    /// surrogates sort before U+FF21 ordinally.</summary>
    [Fact]
    public void ComparesInCodePointOrder()
    {
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFF21") < 0);
        Assert.True(UnicodeCasemap.Compare("\U0001F600", "\uFF21") > 0);
        Assert.True(UnicodeCasemap.Compare("", "A") < 0); // the empty string collates first (RFC 5256 §3)
        Assert.True(UnicodeCasemap.Compare("A", "B") < 0);
        Assert.Equal(0, UnicodeCasemap.Compare("AB", "AB"));
    }
}

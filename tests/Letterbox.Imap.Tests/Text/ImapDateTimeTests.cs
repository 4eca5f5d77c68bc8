using Letterbox.Imap.Text;

namespace Letterbox.Imap.Tests.Text;

public class ImapDateTimeTests
{
    [Fact]
    public void FormatsWithSpacePaddedDayAndOffset()
    {
        Assert.Equal(" 1-Jan-2024 10:00:00 +0000", ImapDateTime.Format(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal("17-Jul-1996 02:44:25 -0730", ImapDateTime.Format(new DateTimeOffset(1996, 7, 17, 2, 44, 25, new TimeSpan(-7, -30, 0))));
    }

    [Theory]
    [InlineData(" 1-Jan-2024 10:00:00 +0000", "2024-01-01T10:00:00+00:00")]
    [InlineData("1-jan-2024 10:00:00 +0000", "2024-01-01T10:00:00+00:00")]
    [InlineData("17-Jul-1996 02:44:25 -0700", "1996-07-17T02:44:25-07:00")]
    public void ParsesDateTime(string text, string expected)
    {
        Assert.True(ImapDateTime.TryParseDateTime(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(value.Offset, DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1-Jan-2024")]
    [InlineData("32-Jan-2024 10:00:00 +0000")]
    [InlineData("1-Foo-2024 10:00:00 +0000")]
    [InlineData("1-Jan-2024 24:00:00 +0000")]
    [InlineData("1-Jan-2024 10:00:00 0000")]
    [InlineData("1-Jan-2024 10:00:00 +0000 ")]
    public void RejectsBadDateTime(string text)
    {
        Assert.False(ImapDateTime.TryParseDateTime(text, out _));
    }

    [Theory]
    [InlineData("1-Feb-1994", 1994, 2, 1)]
    [InlineData("01-FEB-1994", 1994, 2, 1)]
    [InlineData("29-feb-2024", 2024, 2, 29)]
    public void ParsesDate(string text, int y, int m, int d)
    {
        Assert.True(ImapDateTime.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Theory]
    [InlineData("29-Feb-2023")]
    [InlineData("1-Feb-94")]
    [InlineData("Feb-1-1994")]
    [InlineData("1-Feb-1994x")]
    public void RejectsBadDate(string text)
    {
        Assert.False(ImapDateTime.TryParseDate(text, out _));
    }
}

using System.Text;
using Letterbox.Imap.Mime;

namespace Letterbox.Imap.Tests.Mime;

public class HeaderFieldFilterTests
{
    private static string Filter(string header, bool exclude, params string[] names) =>
        Encoding.ASCII.GetString(HeaderFieldFilter.Filter(Encoding.ASCII.GetBytes(header), names, exclude));

    [Fact]
    public void TabFoldedContinuation_AndRepeatedFields()
    {
        const string header = "Received: a\r\n\tb\r\nTo: x\r\nReceived: c\r\n\r\n";
        Assert.Equal("Received: a\r\n\tb\r\nReceived: c\r\n\r\n", Filter(header, false, "received"));
        Assert.Equal("To: x\r\n\r\n", Filter(header, true, "RECEIVED"));
    }

    [Fact]
    public void SpaceBeforeColon_StillMatches()
    {
        Assert.Equal("Subject : hi\r\n\r\n", Filter("Subject : hi\r\nTo: x\r\n\r\n", false, "Subject"));
    }

    [Fact]
    public void PrefixOfName_DoesNotMatch()
    {
        Assert.Equal("\r\n", Filter("Subject-X: hi\r\n\r\n", false, "Subject"));
        Assert.Equal("\r\n", Filter("Subj: hi\r\n\r\n", false, "Subject"));
    }

    [Fact]
    public void StopsAtBlankLine_AndDropsNonFieldLines()
    {
        Assert.Equal("To: x\r\n\r\n", Filter("garbage line\r\nTo: x\r\n\r\nTo: body\r\n", true, "From"));
    }

    [Fact]
    public void HeaderWithoutBlankLineOrFinalNewline()
    {
        Assert.Equal("To: x\r\n\r\n", Filter("From: a\r\nTo: x", false, "To"));
        Assert.Equal("To: x\n\r\n", Filter("To: x\n\nbody", false, "to"));
    }

    [Fact]
    public void NonLetterBytesAreComparedExactly()
    {
        // '@' | 0x20 == '`': case folding must only apply to letters.
        Assert.Equal("\r\n", Filter("X@: 1\r\n\r\n", false, "X`"));
    }
}

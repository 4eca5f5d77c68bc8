using Letterbox.Imap.Text;

namespace Letterbox.Imap.Tests.Text;

public class ModifiedUtf7Tests
{
    [Theory]
    [InlineData("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")]
    [InlineData("INBOX", "INBOX")]
    [InlineData("a&b", "a&-b")]
    [InlineData("Entwürfe", "Entw&APw-rfe")]
    [InlineData("😀", "&2D3eAA-")]
    [InlineData("", "")]
    public void RoundTrips(string unicode, string encoded)
    {
        Assert.Equal(encoded, ModifiedUtf7.Encode(unicode));
        Assert.True(ModifiedUtf7.TryDecode(encoded, out var decoded));
        Assert.Equal(unicode, decoded);
    }

    [Theory]
    [InlineData("&Jjo")]
    [InlineData("&Jjo!-")]
    [InlineData("&AGE-")]
    [InlineData("&-&")]
    [InlineData("&2D0-")]
    [InlineData("&AP-")]
    [InlineData("ü")]
    [InlineData("&U,BTF2-")]
    public void RejectsMalformed(string encoded)
    {
        Assert.False(ModifiedUtf7.TryDecode(encoded, out _));
    }
}

using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Tests.Responses;

public class ImapResponseWriterDataTests
{
    [Fact]
    public void ExistsAndExpunge()
    {
        Assert.Equal("* 23 EXISTS\r\n* 3 EXPUNGE\r\n", WriterHarness.Write(w =>
        {
            w.WriteExists(23);
            w.WriteExpunge(3);
        }));
    }

    [Fact]
    public void Vanished()
    {
        Assert.Equal("* VANISHED (EARLIER) 41,43:116\r\n", WriterHarness.Write(w => w.WriteVanished([41, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116], earlier: true)));
        Assert.Equal("* VANISHED 5\r\n", WriterHarness.Write(w => w.WriteVanished([5], earlier: false)));
        Assert.Equal("", WriterHarness.Write(w => w.WriteVanished([], earlier: false)));
    }

    [Fact]
    public void FetchResponseWithLiteral()
    {
        Assert.Equal("* 12 FETCH (UID 7 FLAGS (\\Seen) BODY[1] {5}\r\nhello)\r\n", WriterHarness.Write(w =>
        {
            w.WriteFetchStart(12);
            w.WriteRaw("UID "u8);
            w.WriteNumber(7u);
            w.WriteRaw(" FLAGS "u8);
            w.WriteFlagList(MessageFlags.Seen, []);
            w.WriteRaw(" BODY[1] "u8);
            w.WriteLiteralHeader(5);
            w.WriteRaw("hello"u8);
            w.WriteFetchEnd();
        }));
    }
}

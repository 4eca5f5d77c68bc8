using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Tests.Responses;

public class ImapResponseWriterPrimitiveTests
{
    [Fact]
    public void WriteNumber_AllWidths()
    {
        Assert.Equal("0 4294967295 18446744073709551615 42 0",
            WriterHarness.Write(w =>
            {
                w.WriteNumber(0u);
                w.WriteSpace();
                w.WriteNumber(uint.MaxValue);
                w.WriteSpace();
                w.WriteNumber(ulong.MaxValue);
                w.WriteSpace();
                w.WriteNumber(42L);
                w.WriteSpace();
                w.WriteNumber(-5L);
            }));
    }

    [Fact]
    public void WriteLiteralHeader()
    {
        Assert.Equal("{12345678901}\r\n", WriterHarness.Write(w => w.WriteLiteralHeader(12345678901L)));
    }

    [Theory]
    [InlineData(new uint[] { 1, 2, 3, 5, 7, 8, 9 }, "1:3,5,7:9")]
    [InlineData(new uint[] { 4 }, "4")]
    [InlineData(new uint[] { }, "")]
    [InlineData(new uint[] { 1, 1, 2, 4 }, "1:2,4")]
    [InlineData(new uint[] { 10, 11, 3, 4 }, "10:11,3:4")]
    [InlineData(new uint[] { 4294967294, 4294967295 }, "4294967294:4294967295")]
    public void WriteSequenceSet_Compacts(uint[] numbers, string expected)
    {
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteSequenceSet(numbers)));
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteSequenceSet((IReadOnlyList<uint>)new List<uint>(numbers))));
    }

    [Fact]
    public void WriteFlagList_SystemFlagsThenKeywords()
    {
        Assert.Equal(@"(\Seen \Answered $Label)",
            WriterHarness.Write(w => w.WriteFlagList(MessageFlags.Answered | MessageFlags.Seen, ["$Label"])));
        Assert.Equal(@"(\Seen \Answered \Flagged \Deleted \Draft a b)",
            WriterHarness.Write(w => w.WriteFlagList((MessageFlags)31, ["a", "b"])));
    }

    [Fact]
    public void WriteFlagList_EmptyWildcardAndInvalidKeyword()
    {
        Assert.Equal("()", WriterHarness.Write(w => w.WriteFlagList(MessageFlags.None, [])));
        Assert.Equal(@"(\Deleted \*)", WriterHarness.Write(w => w.WriteFlagList(MessageFlags.Deleted, ["bad word"], wildcard: true)));
        Assert.Equal(@"(\*)", WriterHarness.Write(w => w.WriteFlagList(MessageFlags.None, [], wildcard: true)));
    }

    [Fact]
    public void WriteDateTime()
    {
        Assert.Equal("\" 1-Jan-2024 10:00:00 +0000\"",
            WriterHarness.Write(w => w.WriteDateTime(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero))));
        Assert.Equal("\"17-Jul-1996 02:44:25 -0730\"",
            WriterHarness.Write(w => w.WriteDateTime(new DateTimeOffset(1996, 7, 17, 2, 44, 25, new TimeSpan(-7, -30, 0)))));
        Assert.Equal("\"31-Dec-2023 23:59:59 +0530\"",
            WriterHarness.Write(w => w.WriteDateTime(new DateTimeOffset(2023, 12, 31, 23, 59, 59, new TimeSpan(5, 30, 0)))));
    }
}

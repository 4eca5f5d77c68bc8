using Letterbox.Imap.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Tests.Responses;

public class ImapResponseWriterStatusTests
{
    [Fact]
    public void Tagged_WithCode()
    {
        Assert.Equal("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n",
            WriterHarness.Write(w => w.WriteTagged("A003", ResponseCondition.Ok, "APPENDUID 38505 3955", "APPEND completed")));
    }

    [Theory]
    [InlineData(ResponseCondition.No, "a1 NO failed\r\n")]
    [InlineData(ResponseCondition.Bad, "a1 BAD failed\r\n")]
    public void Tagged_WithoutCode(ResponseCondition condition, string expected)
    {
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteTagged("a1", condition, "failed")));
    }

    [Fact]
    public void Untagged()
    {
        Assert.Equal("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
            WriterHarness.Write(w => w.WriteUntagged(ResponseCondition.Ok, "UIDVALIDITY 3857529045", "UIDs valid")));
        Assert.Equal("* BYE Logging out\r\n", WriterHarness.Write(w => w.WriteUntagged(ResponseCondition.Bye, "Logging out")));
        Assert.Equal("* PREAUTH [CAPABILITY IMAP4rev2] ready\r\n",
            WriterHarness.Write(w => w.WriteUntagged(ResponseCondition.PreAuth, "CAPABILITY IMAP4rev2", "ready")));
    }

    [Fact]
    public void Continuation()
    {
        Assert.Equal("+ Ready for literal data\r\n", WriterHarness.Write(w => w.WriteContinuation("Ready for literal data")));
    }

    [Fact]
    public void AppendUidCode_RangeOfUids()
    {
        var result = new AppendResult(38505, [3955, 3956, 3957]);
        Assert.Equal("A003 OK [APPENDUID 38505 3955:3957] APPEND completed\r\n",
            WriterHarness.Write(w =>
            {
                w.WriteStatusStart("A003", ResponseCondition.Ok);
                w.WriteAppendUidCode(result);
                w.WriteText("APPEND completed");
                w.WriteCrlf();
            }));
    }

    [Fact]
    public void CopyUidCode_RfcExample()
    {
        // RFC 4315 §3: A004 OK [COPYUID 38505 304,319:320 3956:3958] Done
        var result = new CopyResult(38505, [304, 319, 320], [3956, 3957, 3958]);
        Assert.Equal("* OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
            WriterHarness.Write(w =>
            {
                w.WriteStatusStart(null, ResponseCondition.Ok);
                w.WriteCopyUidCode(result);
                w.WriteText("Done");
                w.WriteCrlf();
            }));
    }
}

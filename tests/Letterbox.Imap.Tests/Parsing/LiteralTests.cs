using System.Buffers;
using System.Text;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Tests.Parsing;

public class LiteralTests
{
    private static readonly ImapLimits s_small = new() { MaxInlineLiteralLength = 10, MaxAppendLiteralLength = 20, MaxLineLength = 40 };

    [Fact]
    public void SynchronizingLiteralAsksForContinuation()
    {
        var h = ReaderHarness.Run("a LOGIN {3}\r\njoe pw\r\n");
        Assert.Equal("+", h.Events[0]);
        Assert.Equal(ReadStatus.Request, Assert.Single(h.Outcomes).Status);
    }

    [Fact]
    public void NonSynchronizingLiteralNeedsNoContinuation()
    {
        var h = ReaderHarness.Run("a LOGIN {3+}\r\njoe pw\r\n");
        Assert.DoesNotContain("+", h.Events);
        Assert.Equal(ReadStatus.Request, Assert.Single(h.Outcomes).Status);
    }

    [Fact]
    public void SynchronizingLiteralWaitsForDataAfterContinuation()
    {
        var reader = new ImapRequestReader(new ImapLimits());
        var first = new ReadOnlySequence<byte>("a LOGIN {3}\r\n"u8.ToArray());
        Assert.Equal(ReadStatus.SendContinuation, reader.Read(first, out var consumed).Status);
        Assert.Equal(first.End, consumed);
        Assert.Equal(ReadStatus.NeedMoreData, reader.Read(ReadOnlySequence<byte>.Empty, out _).Status);
        var outcome = reader.Read(new ReadOnlySequence<byte>("joe pw\r\n"u8.ToArray()), out _);
        Assert.Equal("joe", Assert.IsType<LoginCommand>(outcome.Request?.Command).UserName);
    }

    [Fact]
    public void AppendStreamsMessageLiteralAfterContinuation()
    {
        var h = ReaderHarness.Run("a APPEND INBOX {5}\r\nhello\r\n");
        Assert.Equal(["+", "stream 5"], h.Events.Take(2));
        var append = Assert.IsType<AppendCommand>(Assert.Single(h.Outcomes).Request?.Command);
        Assert.Same(h.Staged[0], append.Messages[0].Message);
        Assert.False(h.Staged[0].Disposed);
    }

    [Fact]
    public void AppendNonSynchronizingStreamsImmediately()
    {
        var h = ReaderHarness.Run("a APPEND INBOX {5+}\r\nhello {2+}\r\nhi\r\n");
        Assert.Equal(["stream 5", "stream 2"], h.Events.Take(2));
        Assert.Equal(2, Assert.IsType<AppendCommand>(h.Outcomes[0].Request?.Command).Messages.Count);
    }

    [Fact]
    public void InvalidAppendDisposesStagedMessages()
    {
        var h = ReaderHarness.Run("a APPEND INBOX {5+}\r\nhello extra\r\n");
        Assert.Equal(ReadStatus.Error, Assert.Single(h.Outcomes).Status);
        Assert.True(h.Staged[0].Disposed);
    }

    [Fact]
    public void TooLargeSynchronizingLiteralIsTooBigWithoutExpectingData()
    {
        var h = ReaderHarness.Run("a LOGIN {11}\r\nb NOOP\r\n", limits: s_small);
        Assert.Equal("TOOBIG", h.Outcomes[0].ResponseCode);
        Assert.Equal("a", h.Outcomes[0].Tag);
        Assert.DoesNotContain("+", h.Events);
        Assert.Equal("b", h.Outcomes[1].Request?.Tag);
    }

    [Fact]
    public void TooLargeNonSynchronizingLiteralIsSkipped()
    {
        var h = ReaderHarness.Run("a LOGIN {11+}\r\nhello world x\r\nb NOOP\r\n", limits: s_small);
        Assert.Equal(2, h.Outcomes.Count);
        Assert.Equal("TOOBIG", h.Outcomes[0].ResponseCode);
        Assert.Equal("b", h.Outcomes[1].Request?.Tag);
    }

    [Fact]
    public void TooLargeAppendLiteralIsTooBig()
    {
        var sync = ReaderHarness.Run("a APPEND INBOX {21}\r\nb NOOP\r\n", limits: s_small);
        Assert.Equal("TOOBIG", sync.Outcomes[0].ResponseCode);
        Assert.Equal("b", sync.Outcomes[1].Request?.Tag);
        var nonSync = ReaderHarness.Run("a APPEND INBOX {21+}\r\n" + new string('x', 21) + "\r\nb NOOP\r\n", limits: s_small);
        Assert.Equal("TOOBIG", nonSync.Outcomes[0].ResponseCode);
        Assert.Equal("b", nonSync.Outcomes[1].Request?.Tag);
        Assert.Empty(nonSync.Staged);
    }

    [Fact]
    public void HugeNonSynchronizingLiteralClosesConnection()
    {
        var h = ReaderHarness.Run("a LOGIN {99999999999999999999+}\r\n");
        Assert.True(Assert.Single(h.Outcomes).CloseConnection);
    }

    [Fact]
    public void TooLongLineIsRejectedWithoutBuffering()
    {
        var h = ReaderHarness.Run("a LOGIN " + new string('x', 100) + " y\r\nb NOOP\r\n", limits: s_small);
        Assert.Equal(ReadStatus.Error, h.Outcomes[0].Status);
        Assert.Equal("a", h.Outcomes[0].Tag);
        Assert.Equal("b", h.Outcomes[1].Request?.Tag);
    }

    [Fact]
    public void TooLongLineArrivingInPiecesIsRejected()
    {
        var h = new ReaderHarness(s_small);
        h.Feed(Encoding.ASCII.GetBytes("a LOGIN "));
        for (var i = 0; i < 100; i++)
        {
            h.Feed("xxxxxxxxxx"u8);
        }
        Assert.Empty(h.Outcomes);
        h.Feed("\r\nb NOOP\r\n"u8);
        Assert.Equal(ReadStatus.Error, h.Outcomes[0].Status);
        Assert.Equal("b", h.Outcomes[1].Request?.Tag);
    }

    [Fact]
    public void CommandTooLongAcrossLiteralsIsRejected()
    {
        var limits = new ImapLimits { MaxCommandLength = 40, MaxInlineLiteralLength = 20 };
        var h = ReaderHarness.Run("a LOGIN {20}\r\n" + new string('u', 20) + " {5}\r\nb NOOP\r\n", limits: limits);
        Assert.Equal("TOOBIG", h.Outcomes[0].ResponseCode);
        Assert.Equal("b", h.Outcomes[1].Request?.Tag);
    }

    [Fact]
    public void ResetDropsPartialCommand()
    {
        var reader = new ImapRequestReader(new ImapLimits());
        Assert.Equal(ReadStatus.NeedMoreData, reader.Read(new ReadOnlySequence<byte>("a LOG"u8.ToArray()), out _).Status);
        reader.Reset();
        var outcome = reader.Read(new ReadOnlySequence<byte>("b NOOP\r\n"u8.ToArray()), out _);
        Assert.Equal("b", outcome.Request?.Tag);
    }

    [Fact]
    public void TryReadLineReturnsLineWithoutCrlf()
    {
        var buffer = new ReadOnlySequence<byte>("DONE\r\nrest"u8.ToArray());
        Assert.True(ImapRequestReader.TryReadLine(buffer, 100, out var line, out var consumed, out var tooLong));
        Assert.False(tooLong);
        Assert.Equal("DONE", Encoding.ASCII.GetString(line));
        Assert.Equal(6, buffer.Slice(0, consumed).Length);
        Assert.False(ImapRequestReader.TryReadLine(new ReadOnlySequence<byte>("DO"u8.ToArray()), 100, out _, out _, out _));
        Assert.True(ImapRequestReader.TryReadLine(new ReadOnlySequence<byte>(new byte[200]), 100, out _, out _, out tooLong));
        Assert.True(tooLong);
    }
}

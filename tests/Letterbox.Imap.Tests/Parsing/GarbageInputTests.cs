using System.Text;
using Letterbox.Imap.Parsing;

namespace Letterbox.Imap.Tests.Parsing;

public class GarbageInputTests
{
    private static readonly string[] s_tokens =
    [
        "a", " ", "  ", "UID", "FETCH", "SEARCH", "STORE", "APPEND", "LIST", "SELECT", "LOGIN", "(", ")", "[", "]", "<", ">",
        "\"", "\\", "{", "}", "{3}", "{2+}", "~{1}", "\r\n", "\n", "1", "0", "*", ":", ",", "$", "BODY", "BODY.PEEK[",
        "HEADER.FIELDS", "NOT", "OR", "ALL", "+FLAGS", "\\Seen", "INBOX", "&Jjo", "1-Feb-1994", "RETURN", "CHARSET", "x",
    ];

    [Fact]
    public void RandomTokenSoupNeverThrowsAndReaderRecovers()
    {
        var random = new Random(12345);
        var limits = new ImapLimits { MaxLineLength = 200, MaxInlineLiteralLength = 50, MaxAppendLiteralLength = 50 };
        for (var round = 0; round < 3000; round++)
        {
            var sb = new StringBuilder();
            var count = random.Next(1, 25);
            for (var i = 0; i < count; i++)
            {
                sb.Append(s_tokens[random.Next(s_tokens.Length)]);
            }
            // Whatever came before, a clean command after enough line ends and literal data must be read.
            var h = ReaderHarness.Run(sb.ToString(), limits: limits);
            Assert.All(h.Outcomes, o => Assert.True(o.Status is ReadStatus.Request or ReadStatus.Error));
        }
    }

    [Fact]
    public void ResetDisposesStagedMessagesOfPartialAppend()
    {
        var h = new ReaderHarness();
        h.Feed("a APPEND INBOX {2+}\r\nhi {3+}\r\n"u8);
        var staged = Assert.Single(h.Staged);
        Assert.Empty(h.Outcomes);
        h.Reader.Reset();
        Assert.True(staged.Disposed);
        var outcome = h.Reader.Read(new System.Buffers.ReadOnlySequence<byte>("b NOOP\r\n"u8.ToArray()), out _);
        Assert.Equal("b", outcome.Request?.Tag);
    }
}

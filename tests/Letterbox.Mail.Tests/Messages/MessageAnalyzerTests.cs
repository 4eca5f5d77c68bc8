using System.Text;
using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Tests.Messages;

public sealed class MessageAnalyzerTests
{
    private const string Nested =
        "From: \"Ann\" <ann@example.com>\r\n" +
        "To: Team: bob@example.com, \"Cy\" <cy@example.org>;\r\n" +
        "Subject: =?UTF-8?B?SGVsbG8=?=\r\n" +
        " again\r\n" +
        "Message-ID: <1@example.com>\r\n" +
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n" +
        "\r\n" +
        "preamble\r\n" +
        "--b1\r\n" +
        "\r\n" +
        "implicit text\r\n" +
        "--b1\r\n" +
        "Content-Type: multipart/alternative; boundary=b2\r\n" +
        "\r\n" +
        "--b2\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Language: en, de\r\n" +
        "\r\n" +
        "plain\r\nline two\r\n" +
        "--b2\r\n" +
        "Content-Type: text/html\r\n" +
        "Content-Disposition: inline; filename=a.html\r\n" +
        "Content-ID: <c1@x>\r\n" +
        "Content-Description: the html\r\n" +
        "Content-Location: http://x/a.html\r\n" +
        "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n" +
        "Content-Transfer-Encoding: quoted-printable\r\n" +
        "\r\n" +
        "<p>html</p>\r\n" +
        "--b2--\r\n" +
        "--b1\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "\r\n" +
        "Subject: inner\r\n" +
        "From: x@y.z\r\n" +
        "\r\n" +
        "inner body\r\n" +
        "--b1--\r\n" +
        "epilogue\r\n";

    private static MessageStructure Analyze(string text) => MessageAnalyzer.Analyze(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static string Slice(string text, long from, long to) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)[(int)from..(int)to]);

    [Fact]
    public void SectionsAreServedBySlicingOffsets()
    {
        var s = Analyze(Nested);
        var body = s.Body;
        Assert.Equal(3, body.Children.Count);
        Assert.Equal("implicit text", Slice(Nested, body.Children[0].BodyOffset, body.Children[0].EndOffset));
        var alternative = body.Children[1];
        Assert.Equal("plain\r\nline two", Slice(Nested, alternative.Children[0].BodyOffset, alternative.Children[0].EndOffset));
        Assert.Equal(1, alternative.Children[0].Lines);
        Assert.Equal("<p>html</p>", Slice(Nested, alternative.Children[1].BodyOffset, alternative.Children[1].EndOffset));
        Assert.StartsWith("Content-Type: text/html\r\n", Slice(Nested, alternative.Children[1].HeaderOffset, alternative.Children[1].BodyOffset), StringComparison.Ordinal);
        var rfc822 = body.Children[2];
        Assert.Equal("Subject: inner\r\nFrom: x@y.z\r\n\r\ninner body", Slice(Nested, rfc822.BodyOffset, rfc822.EndOffset));
        Assert.Equal("inner body", Slice(Nested, rfc822.MessageBody!.BodyOffset, rfc822.MessageBody.EndOffset));
        Assert.Equal("inner", rfc822.MessageEnvelope!.Subject);
        Assert.Equal(3, rfc822.Lines);
    }

    [Fact]
    public void PartFieldsAndDefaults()
    {
        var s = Analyze(Nested);
        var implicitText = s.Body.Children[0];
        Assert.Equal(("text", "plain"), (implicitText.Type, implicitText.Subtype));
        Assert.Equal([new("charset", "us-ascii")], implicitText.Parameters);
        Assert.Equal("7BIT", implicitText.Encoding);
        var plain = s.Body.Children[1].Children[0];
        Assert.Equal(["en", "de"], plain.Language!);
        var html = s.Body.Children[1].Children[1];
        Assert.Equal("QUOTED-PRINTABLE", html.Encoding);
        Assert.Equal("inline", html.Disposition);
        Assert.Equal([new("filename", "a.html")], html.DispositionParameters);
        Assert.Equal("<c1@x>", html.ContentId);
        Assert.Equal("the html", html.Description);
        Assert.Equal("http://x/a.html", html.Location);
        Assert.Equal("Q2hlY2sgSW50ZWdyaXR5IQ==", html.Md5);
        Assert.Empty(html.Parameters);
    }

    [Fact]
    public void EnvelopeKeepsEncodedWordsAndParsesGroups()
    {
        var e = Analyze(Nested).Envelope;
        Assert.Equal("=?UTF-8?B?SGVsbG8=?= again", e.Subject);
        Assert.Equal("<1@example.com>", e.MessageId);
        Assert.Null(e.Date);
        Assert.Equal([new EnvelopeAddress("Ann", null, "ann", "example.com")], e.From!);
        Assert.Equal(e.From, e.Sender);
        Assert.Equal(e.From, e.ReplyTo);
        Assert.Equal(
            [
                new EnvelopeAddress(null, null, "Team", null),
                new EnvelopeAddress(null, null, "bob", "example.com"),
                new EnvelopeAddress("Cy", null, "cy", "example.org"),
                new EnvelopeAddress(null, null, null, null),
            ],
            e.To!);
        Assert.Null(e.Cc);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("garbage without header\r\n")]
    [InlineData("Content-Type: multipart/mixed; boundary=x\r\n\r\n")]
    [InlineData("Content-Type: multipart/mixed\r\n\r\n--\r\n")]
    [InlineData("Content-Type: message/rfc822\r\n\r\n")]
    [InlineData("Subject: x\r\nContent-Type: text/plain; charset=\"unterminated\r\n\r\nbody")]
    [InlineData("From: <<<@@@>>>\r\nTo: ,,,;;:\r\nDate: not a date\r\n\r\nbody")]
    public void MalformedMailNeverThrows(string text)
    {
        var s = Analyze(text);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), s.Body.EndOffset);
        MessageStructureSerializer.Deserialize(MessageStructureSerializer.Serialize(s));
    }

    [Fact]
    public void EmptyMultipartHasNoChildren()
    {
        var text = "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x--\r\n";
        var s = Analyze(text);
        Assert.True(s.Body.IsMultipart);
        Assert.Empty(s.Body.Children);
    }

    [Fact]
    public void DeepNestingIsCapped()
    {
        var sb = new StringBuilder();
        const int depth = 300;
        for (var i = 0; i < depth; i++) sb.Append($"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n");
        sb.Append("Content-Type: text/plain\r\n\r\nleaf\r\n");
        for (var i = depth - 1; i >= 0; i--) sb.Append($"--b{i}--\r\n");
        var text = sb.ToString();
        var s = Analyze(text);
        var levels = 0;
        for (var p = s.Body; p.Children.Count > 0; p = p.Children[0]) levels++;
        Assert.InRange(levels, 1, 100);
        Assert.Equal(text.Length, s.Body.EndOffset);
        MessageStructureSerializer.Deserialize(MessageStructureSerializer.Serialize(s));
    }

    [Fact]
    public void OffsetsAreRelativeToTheStartPositionAndWorkOnNonSeekableStreams()
    {
        var prefix = Encoding.ASCII.GetBytes("JUNKJUNK");
        var bytes = Encoding.UTF8.GetBytes(Nested);
        var seekable = new MemoryStream([.. prefix, .. bytes]) { Position = prefix.Length };
        var fromMiddle = MessageAnalyzer.Analyze(seekable);
        var expected = MessageStructureSerializer.Serialize(Analyze(Nested));
        Assert.Equal(expected, MessageStructureSerializer.Serialize(fromMiddle));
        var forwardOnly = MessageAnalyzer.Analyze(new ForwardOnlyStream(bytes));
        Assert.Equal(expected, MessageStructureSerializer.Serialize(forwardOnly));
    }

    [Fact]
    public void SerializerRejectsCorruptInput()
    {
        var data = MessageStructureSerializer.Serialize(Analyze(Nested));
        Assert.Throws<InvalidDataException>(() => MessageStructureSerializer.Deserialize([]));
        Assert.Throws<InvalidDataException>(() => MessageStructureSerializer.Deserialize([99, .. data[1..]]));
        for (var cut = 1; cut < data.Length; cut++)
        {
            Assert.Throws<InvalidDataException>(() => MessageStructureSerializer.Deserialize(data.AsSpan(0, cut)));
        }
        Assert.Throws<InvalidDataException>(() => MessageStructureSerializer.Deserialize([.. data, 0]));
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var copy = data.ToArray();
            copy[random.Next(1, copy.Length)] = (byte)random.Next(256);
            try
            {
                MessageStructureSerializer.Deserialize(copy);
            }
            catch (InvalidDataException)
            {
                // expected for most flips; anything else fails the test
            }
        }
    }

    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

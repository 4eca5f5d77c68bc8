using System.IO.Pipelines;
using System.Text;
using Letterbox.Imap.Commands;
using Letterbox.Imap.Mime;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Tests.Mime;

public class SectionReaderTests
{
    private const string Nested =
        "From: a@x\r\n" +
        "Subject: test\r\n" +
        " folded\r\n" +
        "Content-Type: multipart/mixed; boundary=\"B\"\r\n" +
        "\r\n" +
        "preamble\r\n" +
        "--B\r\n" +
        "Content-Type: text/plain\r\n" +
        "\r\n" +
        "part one\r\n" +
        "--B\r\n" +
        "Content-Type: multipart/alternative; boundary=\"C\"\r\n" +
        "\r\n" +
        "--C\r\n" +
        "\r\n" +
        "plain two\r\n" +
        "--C\r\n" +
        "Content-Type: text/html\r\n" +
        "\r\n" +
        "<b>two</b>\r\n" +
        "--C--\r\n" +
        "\r\n" +
        "--B\r\n" +
        "Content-Type: message/rfc822\r\n" +
        "\r\n" +
        "Subject: inner\r\n" +
        "Content-Type: multipart/mixed; boundary=\"D\"\r\n" +
        "\r\n" +
        "--D\r\n" +
        "\r\n" +
        "inner one\r\n" +
        "--D--\r\n" +
        "\r\n" +
        "--B--\r\n";

    private static int At(string text) => Nested.IndexOf(text, StringComparison.Ordinal);

    private static int After(string text) => At(text) + text.Length;

    // Builds the structure the analyzer would cache for Nested, offsets found by searching the text.
    private static MessageStructure NestedStructure()
    {
        var partOne = new BodyPart { Type = "text", Subtype = "plain", HeaderOffset = At("Content-Type: text/plain"), BodyOffset = At("part one"), EndOffset = After("part one") };
        var plainTwo = new BodyPart { Type = "text", Subtype = "plain", HeaderOffset = After("--C\r\n"), BodyOffset = At("plain two"), EndOffset = After("plain two") };
        var htmlTwo = new BodyPart { Type = "text", Subtype = "html", HeaderOffset = At("Content-Type: text/html"), BodyOffset = At("<b>two</b>"), EndOffset = After("<b>two</b>") };
        var alternative = new BodyPart
        {
            Type = "multipart",
            Subtype = "alternative",
            HeaderOffset = At("Content-Type: multipart/alternative"),
            BodyOffset = After("boundary=\"C\"\r\n\r\n"),
            EndOffset = At("\r\n--B\r\nContent-Type: message/rfc822"),
            Children = [plainTwo, htmlTwo],
        };
        var innerOne = new BodyPart { Type = "text", Subtype = "plain", HeaderOffset = After("--D\r\n"), BodyOffset = At("inner one"), EndOffset = After("inner one") };
        var innerBody = new BodyPart
        {
            Type = "multipart",
            Subtype = "mixed",
            HeaderOffset = At("Subject: inner"),
            BodyOffset = After("boundary=\"D\"\r\n\r\n"),
            EndOffset = At("\r\n--B--"),
            Children = [innerOne],
        };
        var message = new BodyPart
        {
            Type = "message",
            Subtype = "rfc822",
            HeaderOffset = At("Content-Type: message/rfc822"),
            BodyOffset = At("Subject: inner"),
            EndOffset = At("\r\n--B--"),
            MessageBody = innerBody,
        };
        var top = new BodyPart
        {
            Type = "multipart",
            Subtype = "mixed",
            HeaderOffset = 0,
            BodyOffset = At("preamble"),
            EndOffset = Nested.Length,
            Children = [partOne, alternative, message],
        };
        return new MessageStructure { Envelope = new Envelope(null, null, null, null, null, null, null, null, null, null), Body = top };
    }

    private static Section S(SectionText text, params int[] part) => new(part, text, []);

    private static async Task<string> Fetch(string message, MessageStructure structure, Section section, long? offset = null, long? length = null)
    {
        using var stored = new MemoryStream(Encoding.ASCII.GetBytes(message));
        var content = await SectionReader.ReadAsync(structure, section, stored, offset, length, CancellationToken.None);
        using var output = new MemoryStream();
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        await content.CopyToAsync(stored, pipe, CancellationToken.None);
        await pipe.FlushAsync();
        Assert.Equal(content.Length, output.Length);
        return Encoding.ASCII.GetString(output.ToArray());
    }

    private static Task<string> Fetch(Section section, long? offset = null, long? length = null) =>
        Fetch(Nested, NestedStructure(), section, offset, length);

    [Fact]
    public async Task WholeMessageHeaderAndText()
    {
        Assert.Equal(Nested, await Fetch(S(SectionText.None)));
        Assert.Equal("From: a@x\r\nSubject: test\r\n folded\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n", await Fetch(S(SectionText.Header)));
        Assert.Equal(Nested[At("preamble")..], await Fetch(S(SectionText.Text)));
    }

    [Fact]
    public async Task NumericParts()
    {
        Assert.Equal("part one", await Fetch(S(SectionText.None, 1)));
        Assert.Equal("--C\r\n\r\nplain two\r\n--C\r\nContent-Type: text/html\r\n\r\n<b>two</b>\r\n--C--\r\n", await Fetch(S(SectionText.None, 2)));
        Assert.Equal("plain two", await Fetch(S(SectionText.None, 2, 1)));
        Assert.Equal("<b>two</b>", await Fetch(S(SectionText.None, 2, 2)));
    }

    [Fact]
    public async Task MimeHeaders()
    {
        Assert.Equal("Content-Type: text/plain\r\n\r\n", await Fetch(S(SectionText.Mime, 1)));
        Assert.Equal("Content-Type: text/html\r\n\r\n", await Fetch(S(SectionText.Mime, 2, 2)));
        Assert.Equal("\r\n", await Fetch(S(SectionText.Mime, 2, 1)));
        Assert.Equal("Content-Type: message/rfc822\r\n\r\n", await Fetch(S(SectionText.Mime, 3)));
    }

    [Fact]
    public async Task EncapsulatedMessage()
    {
        Assert.Equal("Subject: inner\r\nContent-Type: multipart/mixed; boundary=\"D\"\r\n\r\n--D\r\n\r\ninner one\r\n--D--\r\n", await Fetch(S(SectionText.None, 3)));
        Assert.Equal("Subject: inner\r\nContent-Type: multipart/mixed; boundary=\"D\"\r\n\r\n", await Fetch(S(SectionText.Header, 3)));
        Assert.Equal("--D\r\n\r\ninner one\r\n--D--\r\n", await Fetch(S(SectionText.Text, 3)));
        Assert.Equal("inner one", await Fetch(S(SectionText.None, 3, 1)));
        Assert.Equal("Subject: inner\r\n\r\n", await Fetch(new Section([3], SectionText.HeaderFields, ["SUBJECT"])));
    }

    [Theory]
    [InlineData(SectionText.None, new[] { 4 })]
    [InlineData(SectionText.None, new[] { 0 })]
    [InlineData(SectionText.None, new[] { 1, 1 })]
    [InlineData(SectionText.None, new[] { 3, 1, 1 })]
    [InlineData(SectionText.None, new[] { 2, 3 })]
    [InlineData(SectionText.Header, new[] { 1 })]
    [InlineData(SectionText.Text, new[] { 2 })]
    [InlineData(SectionText.HeaderFields, new[] { 1 })]
    [InlineData(SectionText.Mime, new int[0])]
    public async Task MissingOrInvalidPart_IsEmpty(SectionText text, int[] part)
    {
        Assert.Equal("", await Fetch(new Section(part, text, ["Subject"])));
    }

    [Fact]
    public async Task HeaderFields_KeepsFoldedLinesCaseInsensitive()
    {
        Assert.Equal("From: a@x\r\nSubject: test\r\n folded\r\n\r\n",
            await Fetch(new Section([], SectionText.HeaderFields, ["subject", "FROM"])));
    }

    [Fact]
    public async Task HeaderFieldsNot_DropsFoldedLinesOfExcludedField()
    {
        Assert.Equal("From: a@x\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n",
            await Fetch(new Section([], SectionText.HeaderFieldsNot, ["Subject"])));
    }

    [Fact]
    public async Task HeaderFields_NoMatchIsBlankLine()
    {
        Assert.Equal("\r\n", await Fetch(new Section([], SectionText.HeaderFields, ["X-None"])));
    }

    [Theory]
    [InlineData(0L, 4L, "From")]
    [InlineData(0L, null, "part one")]
    [InlineData(5L, 100L, "one")]
    [InlineData(7L, 1L, "e")]
    [InlineData(8L, 2L, "")]
    [InlineData(100L, 1L, "")]
    public async Task Partial(long offset, long? length, string expected)
    {
        var section = expected == "From" ? S(SectionText.None) : S(SectionText.None, 1);
        Assert.Equal(expected, await Fetch(section, offset, length));
    }

    [Fact]
    public async Task Partial_AppliesAfterHeaderFieldFiltering()
    {
        Assert.Equal("om: a", await Fetch(new Section([], SectionText.HeaderFields, ["From"]), 2, 5));
    }

    [Fact]
    public async Task SinglePartMessage_PartOneIsTheBody()
    {
        const string message = "Subject: s\r\n\r\nhello\r\n";
        var structure = new MessageStructure
        {
            Envelope = new Envelope(null, null, null, null, null, null, null, null, null, null),
            Body = new BodyPart { Type = "text", Subtype = "plain", HeaderOffset = 0, BodyOffset = 14, EndOffset = message.Length },
        };
        Assert.Equal("hello\r\n", await Fetch(message, structure, S(SectionText.None, 1)));
        Assert.Equal("hello\r\n", await Fetch(message, structure, S(SectionText.Text)));
        Assert.Equal("Subject: s\r\n\r\n", await Fetch(message, structure, S(SectionText.Header)));
        Assert.Equal("", await Fetch(message, structure, S(SectionText.None, 2)));
    }

    [Fact]
    public void Locate_DoesNoIoAndReturnsRange()
    {
        var content = SectionReader.Locate(NestedStructure(), S(SectionText.None, 2, 2));
        Assert.True(content.IsRange);
        Assert.Equal(At("<b>two</b>"), content.Offset);
        Assert.Equal(10, content.Length);
    }
}

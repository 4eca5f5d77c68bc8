using Letterbox.Imap.Responses;

namespace Letterbox.Imap.Tests.Responses;

public class ImapResponseWriterStringTests
{
    [Theory]
    [InlineData("hello world", "\"hello world\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("NIL", "\"NIL\"")]
    [InlineData("tab\there", "\"tab\there\"")]
    [InlineData("two\r\nlines", "{10}\r\ntwo\r\nlines")]
    [InlineData("lf\nonly", "{7}\r\nlf\nonly")]
    [InlineData("nul\0", "{4}\r\nnul\0")]
    [InlineData("caf\u00e9", "{5}\r\ncaf\u00e9")]
    public void WriteString_QuotesOrFallsBackToLiteral(string value, string expected)
    {
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteString(value)));
    }

    [Fact]
    public void WriteString_Utf8AllowedIsQuotedWithEscapes()
    {
        Assert.Equal("\"caf\u00e9 \\\"\u65e5\u672c\\\"\"", WriterHarness.Write(w => w.WriteString("caf\u00e9 \"\u65e5\u672c\""), allowUtf8: true));
    }

    [Fact]
    public void WriteString_Utf8AllowedStillUsesLiteralForCrLf()
    {
        Assert.Equal("{5}\r\n\u00e9\r\nx", WriterHarness.Write(w => w.WriteString("\u00e9\r\nx"), allowUtf8: true));
    }

    [Fact]
    public void WriteString_LongStringIsLiteral()
    {
        var value = new string('a', ImapResponseWriter.MaxQuotedLength + 1);
        Assert.Equal("{1025}\r\n" + value, WriterHarness.Write(w => w.WriteString(value)));
        var shorter = new string('a', ImapResponseWriter.MaxQuotedLength);
        Assert.Equal("\"" + shorter + "\"", WriterHarness.Write(w => w.WriteString(shorter)));
    }

    [Theory]
    [InlineData(null, "NIL")]
    [InlineData("NIL", "\"NIL\"")]
    [InlineData("x", "\"x\"")]
    public void WriteNString(string? value, string expected)
    {
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteNString(value)));
    }

    [Theory]
    [InlineData("Sent", "Sent")]
    [InlineData("a]b", "a]b")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("", "\"\"")]
    [InlineData("nil", "\"nil\"")]
    [InlineData("a*", "\"a*\"")]
    [InlineData("a%", "\"a%\"")]
    [InlineData("a(", "\"a(\"")]
    [InlineData("a{", "\"a{\"")]
    public void WriteAString_AtomOrString(string value, string expected)
    {
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteAString(value)));
    }

    [Theory]
    [InlineData("INBOX", false, "INBOX")]
    [InlineData("inbox", false, "INBOX")]
    [InlineData("Archive/2024", false, "Archive/2024")]
    [InlineData("My Folder", false, "\"My Folder\"")]
    [InlineData("Entw\u00fcrfe", false, "Entw&APw-rfe")]
    [InlineData("Entw\u00fcrfe", true, "\"Entw\u00fcrfe\"")]
    [InlineData("A&B", false, "A&-B")]
    public void WriteMailboxName(string name, bool utf8, string expected)
    {
        Assert.Equal(expected, WriterHarness.Write(w => w.WriteMailboxName(name, utf8)));
    }

    [Fact]
    public void WriteText_ReplacesLineBreaks()
    {
        Assert.Equal("a b c", WriterHarness.Write(w => w.WriteText("a\rb\nc")));
    }
}

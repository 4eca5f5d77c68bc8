using Letterbox.Imap.Mime;
using Letterbox.Imap.Tests.Responses;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Tests.Mime;

public class BodyStructureEncoderTests
{
    private static BodyPart TextPart(long size, long lines, params KeyValuePair<string, string>[] parameters) => new()
    {
        Type = "text",
        Subtype = "plain",
        Parameters = parameters,
        BodyOffset = 100,
        EndOffset = 100 + size,
        Lines = lines,
    };

    // RFC 3501 §7.4.2: the two-part multipart/mixed example.
    private static BodyPart Rfc3501Example() => new()
    {
        Type = "multipart",
        Subtype = "mixed",
        Children =
        [
            TextPart(1152, 23, new KeyValuePair<string, string>("CHARSET", "US-ASCII")),
            new BodyPart
            {
                Type = "text",
                Subtype = "plain",
                Parameters = [new("CHARSET", "US-ASCII"), new("NAME", "cc.diff")],
                ContentId = "<960723163407.20117h@cac.washington.edu>",
                Description = "Compiler diff",
                Encoding = "BASE64",
                BodyOffset = 2000,
                EndOffset = 2000 + 4554,
                Lines = 73,
            },
        ],
    };

    [Fact]
    public void Body_Rfc3501Example()
    {
        const string expected = "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)" +
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \"<960723163407.20117h@cac.washington.edu>\" " +
            "\"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\")";
        Assert.Equal(expected, WriterHarness.Write(w => BodyStructureEncoder.WriteBody(w, Rfc3501Example())));
    }

    [Fact]
    public void BodyStructure_Rfc3501ExampleWithExtensionData()
    {
        const string expected = "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23 NIL NIL NIL NIL)" +
            "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \"<960723163407.20117h@cac.washington.edu>\" " +
            "\"Compiler diff\" \"BASE64\" 4554 73 NIL NIL NIL NIL) \"MIXED\" NIL NIL NIL NIL)";
        Assert.Equal(expected, WriterHarness.Write(w => BodyStructureEncoder.WriteBodyStructure(w, Rfc3501Example())));
    }

    [Fact]
    public void SinglePart_BasicTypeHasNoLines_ExtensionFieldsFilled()
    {
        var part = new BodyPart
        {
            Type = "application",
            Subtype = "pdf",
            Parameters = [new("name", "a b.pdf")],
            Encoding = "BASE64",
            Md5 = "Q2hlY2sgSW50ZWdyaXR5IQ==",
            Disposition = "attachment",
            DispositionParameters = [new("filename", "a b.pdf")],
            Language = ["en", "de"],
            Location = "http://x/a.pdf",
            BodyOffset = 10,
            EndOffset = 110,
            Lines = 5,
        };
        Assert.Equal("(\"APPLICATION\" \"PDF\" (\"name\" \"a b.pdf\") NIL NIL \"BASE64\" 100)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBody(w, part)));
        Assert.Equal("(\"APPLICATION\" \"PDF\" (\"name\" \"a b.pdf\") NIL NIL \"BASE64\" 100 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" " +
            "(\"attachment\" (\"filename\" \"a b.pdf\")) (\"en\" \"de\") \"http://x/a.pdf\")",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBodyStructure(w, part)));
    }

    [Fact]
    public void SingleLanguage_IsAString_DispositionWithoutParameters()
    {
        var part = new BodyPart
        {
            Type = "text",
            Subtype = "html",
            Disposition = "inline",
            Language = ["fr"],
            EndOffset = 3,
            Lines = 1,
        };
        Assert.Equal("(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 3 1 NIL (\"inline\" NIL) \"fr\" NIL)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBodyStructure(w, part)));
    }

    [Fact]
    public void MessageRfc822_EnvelopeBodyAndLines()
    {
        var inner = new BodyPart { Type = "text", Subtype = "plain", Parameters = [new("charset", "utf-8")], HeaderOffset = 50, BodyOffset = 80, EndOffset = 92, Lines = 2 };
        var part = new BodyPart
        {
            Type = "message",
            Subtype = "rfc822",
            HeaderOffset = 20,
            BodyOffset = 50,
            EndOffset = 92,
            Lines = 4,
            MessageEnvelope = new Envelope(null, "Hi", [new EnvelopeAddress(null, null, "a", "b")], null, null, null, null, null, null, "<m@b>"),
            MessageBody = inner,
        };
        const string envelope = "(NIL \"Hi\" ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL \"<m@b>\")";
        Assert.Equal("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 42 " + envelope + " (\"TEXT\" \"PLAIN\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 12 2) 4)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBody(w, part)));
        Assert.Equal("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 42 " + envelope +
            " (\"TEXT\" \"PLAIN\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 12 2 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBodyStructure(w, part)));
    }

    [Fact]
    public void MessageRfc822_WithoutCachedInnerParts_StaysGrammatical()
    {
        var part = new BodyPart { Type = "message", Subtype = "rfc822", EndOffset = 0 };
        Assert.Equal("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 0 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) " +
            "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0) 0)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBody(w, part)));
    }

    [Fact]
    public void NestedMultipart_WithBoundaryParameter()
    {
        var alternative = new BodyPart
        {
            Type = "multipart",
            Subtype = "alternative",
            Parameters = [new("boundary", "inner")],
            Children = [TextPart(5, 1), new BodyPart { Type = "text", Subtype = "html", EndOffset = 7, Lines = 1 }],
        };
        var mixed = new BodyPart
        {
            Type = "multipart",
            Subtype = "mixed",
            Parameters = [new("boundary", "outer")],
            Language = ["en"],
            Children = [alternative, new BodyPart { Type = "image", Subtype = "png", Encoding = "BASE64", EndOffset = 8 }],
        };
        Assert.Equal("(((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 7 1) \"ALTERNATIVE\")" +
            "(\"IMAGE\" \"PNG\" NIL NIL NIL \"BASE64\" 8) \"MIXED\")",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBody(w, mixed)));
        Assert.Equal("(((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1 NIL NIL NIL NIL)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 7 1 NIL NIL NIL NIL) " +
            "\"ALTERNATIVE\" (\"boundary\" \"inner\") NIL NIL NIL)" +
            "(\"IMAGE\" \"PNG\" NIL NIL NIL \"BASE64\" 8 NIL NIL NIL NIL) \"MIXED\" (\"boundary\" \"outer\") NIL \"en\" NIL)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBodyStructure(w, mixed)));
    }

    [Fact]
    public void EmptyMultipart_GetsOneEmptyTextChild()
    {
        var part = new BodyPart { Type = "multipart", Subtype = "mixed" };
        Assert.Equal("((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0) \"MIXED\")",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBody(w, part)));
        Assert.Equal("((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0 NIL NIL NIL NIL) \"MIXED\" NIL NIL NIL NIL)",
            WriterHarness.Write(w => BodyStructureEncoder.WriteBodyStructure(w, part)));
    }
}

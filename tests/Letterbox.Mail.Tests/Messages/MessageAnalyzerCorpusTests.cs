using System.Text;
using Letterbox.Mail.Messages;
using MimeKit;

namespace Letterbox.Mail.Tests.Messages;

public sealed class MessageAnalyzerCorpusTests
{
    public static IEnumerable<object[]> Names() => Corpus.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Names))]
    public void OffsetsSizesAndLinesAgreeWithTheBytes(string name)
    {
        var bytes = Corpus.Load(name);
        var structure = MessageAnalyzer.Analyze(new MemoryStream(bytes));

        Assert.Equal(0, structure.Body.HeaderOffset);
        Assert.Equal(bytes.Length, structure.Body.EndOffset);
        CheckNesting(structure.Body, 0, bytes.Length, bytes);

        var message = MimeMessage.Load(new MemoryStream(bytes));
        CompareWithMimeKit(message.Body, structure.Body, bytes, isTopLevel: true);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EnvelopeStringsAreTheRawHeaderValues(string name)
    {
        var bytes = Corpus.Load(name);
        var structure = MessageAnalyzer.Analyze(new MemoryStream(bytes));
        var message = MimeMessage.Load(new MemoryStream(bytes));

        var subjectIndex = message.Headers.IndexOf(HeaderId.Subject);
        if (subjectIndex >= 0 && message.Headers[subjectIndex].RawValue.Any(b => b >= 0x80))
        {
            // Raw 8-bit subjects are re-encoded as UTF-8 encoded words: ASCII on the wire, same text as MimeKit reads.
            var subject = structure.Envelope.Subject!;
            Assert.True(subject.All(c => c < 0x80), subject);
            Assert.Equal(message.Subject?.Trim(), MimeKit.Utils.Rfc2047.DecodeText(System.Text.Encoding.ASCII.GetBytes(subject)));
        }
        else
        {
            Assert.Equal(RawUnfolded(message.Headers, HeaderId.Subject), structure.Envelope.Subject);
        }
        Assert.Equal(RawUnfolded(message.Headers, HeaderId.MessageId), structure.Envelope.MessageId);
        Assert.Equal(RawUnfolded(message.Headers, HeaderId.Date), structure.Envelope.Date);
        Assert.Equal(message.From.Mailboxes.Count(), structure.Envelope.From?.Count(a => a.Host is not null) ?? 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SerializerRoundTrips(string name)
    {
        var structure = MessageAnalyzer.Analyze(new MemoryStream(Corpus.Load(name)));
        var data = MessageStructureSerializer.Serialize(structure);
        var copy = MessageStructureSerializer.Deserialize(data);

        Assert.Equal(data, MessageStructureSerializer.Serialize(copy));
        Assert.Equal(structure.Envelope.Subject, copy.Envelope.Subject);
        Assert.Equal(structure.Body.EndOffset, copy.Body.EndOffset);
        Assert.Equal(structure.Body.Children.Count, copy.Body.Children.Count);
    }

    private static string? RawUnfolded(HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        if (index < 0) return null;
        var raw = headers[index].RawValue;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(raw);
        }
        return text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Trim(' ', '\t');
    }

    private static void CheckNesting(BodyPart part, long from, long to, byte[] bytes)
    {
        Assert.InRange(part.HeaderOffset, from, to);
        Assert.InRange(part.BodyOffset, part.HeaderOffset, to);
        Assert.InRange(part.EndOffset, part.BodyOffset, to);
        if (part.Type is "text" || (part.Type is "message" && part.Subtype is "rfc822"))
        {
            Assert.Equal(bytes.AsSpan((int)part.BodyOffset, (int)part.Size).Count((byte)'\n'), part.Lines);
        }
        var previousEnd = part.BodyOffset;
        foreach (var child in part.Children)
        {
            Assert.True(child.HeaderOffset >= previousEnd, "children are ordered and do not overlap");
            CheckNesting(child, part.BodyOffset, part.EndOffset, bytes);
            previousEnd = child.EndOffset;
        }
        if (part.MessageBody is { } inner)
        {
            Assert.Equal(part.BodyOffset, inner.HeaderOffset);
            CheckNesting(inner, part.BodyOffset, part.EndOffset, bytes);
        }
    }

    private static void CompareWithMimeKit(MimeEntity? entity, BodyPart part, byte[] bytes, bool isTopLevel)
    {
        if (entity is null) return;
        Assert.Equal(entity.ContentType.MediaType.ToLowerInvariant(), part.Type);
        Assert.Equal(entity.ContentType.MediaSubtype.ToLowerInvariant(), part.Subtype);
        switch (entity)
        {
            case Multipart multipart:
                Assert.Equal(multipart.Count, part.Children.Count);
                for (var i = 0; i < multipart.Count; i++) CompareWithMimeKit(multipart[i], part.Children[i], bytes, false);
                break;
            case MessagePart { Message: { } inner }:
                Assert.NotNull(part.MessageBody);
                Assert.Equal(RawUnfolded(inner.Headers, HeaderId.Subject), part.MessageEnvelope?.Subject);
                CompareWithMimeKit(inner.Body, part.MessageBody!, bytes, true);
                break;
            case MimePart { Content: { } leafContent }:
                using (var content = new MemoryStream())
                {
                    leafContent.WriteTo(content);
                    var expected = content.ToArray();
                    var actual = bytes.AsSpan((int)part.BodyOffset, (int)part.Size).ToArray();
                    if (!isTopLevel || expected.Length == actual.Length)
                    {
                        Assert.Equal(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(actual));
                    }
                    else
                    {
                        // Top level: MimeKit may drop a final line end; the IMAP body is everything after the header.
                        Assert.StartsWith(Encoding.Latin1.GetString(expected), Encoding.Latin1.GetString(actual), StringComparison.Ordinal);
                    }
                }
                break;
        }
    }
}

using MimeKit;

namespace Letterbox.Mail.Messages;

public static partial class MessageAnalyzer
{
    /// <summary>Deepest MIME nesting analyzed; deeper parts are reported as leaves.</summary>
    internal const int MaxDepth = 100;

    internal static readonly ParserOptions Options = CreateOptions();

    /// <summary>Analyzes; when <paramref name="searchDocument"/> is given, its slot 0 receives the search text
    /// (null if the parse failed).</summary>
    private static (MessageStructure Structure, string? References) AnalyzeCore(Stream message, Search.SearchDocument?[]? searchDocument)
    {
        ArgumentNullException.ThrowIfNull(message);
        Stream source = message;
        Stream? temporary = null;
        try
        {
            if (!message.CanSeek)
            {
                temporary = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                message.CopyTo(temporary);
                temporary.Position = 0;
                source = temporary;
            }
            var start = source.Position;
            var length = Math.Max(0, source.Length - start);
            try
            {
                var collector = new OffsetCollector(source, start, length);
                var structure = collector.Analyze(searchDocument);
                return (structure, collector.References);
            }
#pragma warning disable CA1031 // never throw for malformed mail: degrade to one text/plain part
            catch (Exception ex) when (ex is FormatException or ParseException or InvalidOperationException or ArgumentException or IOException or OverflowException)
#pragma warning restore CA1031
            {
                if (searchDocument is not null) searchDocument[0] = null;
                return (Fallback(source, start, length), null);
            }
        }
        finally
        {
            temporary?.Dispose();
        }
    }

    private static MessageStructure Fallback(Stream source, long start, long length)
    {
        long lines = 0;
        try
        {
            lines = LineCounter.Count(source, start, start + length);
        }
        catch (IOException)
        {
            lines = 0;
        }
        return new MessageStructure
        {
            Envelope = new Envelope(null, null, null, null, null, null, null, null, null, null),
            Body = new BodyPart
            {
                Type = "text",
                Subtype = "plain",
                Parameters = [new KeyValuePair<string, string>("charset", "us-ascii")],
                HeaderOffset = 0,
                BodyOffset = 0,
                EndOffset = length,
                Lines = lines,
            },
        };
    }

    /// <summary>The raw value of the first References field in the header at the stream's position, or null;
    /// reads only the header. Null too when the header cannot be parsed.</summary>
    private static string? ReadReferences(Stream message)
    {
        try
        {
            var parser = new MimeParser(Options, message, MimeFormat.Default);
            var headers = parser.ParseHeaders();
            return EnvelopeReader.RawValue(headers, HeaderId.References);
        }
#pragma warning disable CA1031 // never throw for malformed mail
        catch (Exception ex) when (ex is FormatException or ParseException or InvalidOperationException or ArgumentException or OverflowException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static ParserOptions CreateOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = MaxDepth;
        options.RespectContentLength = false;
        return options;
    }
}

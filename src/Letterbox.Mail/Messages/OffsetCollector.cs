using System.Globalization;
using MimeKit;

namespace Letterbox.Mail.Messages;

/// <summary>
/// One analysis run: parses the message with MimeKit's <see cref="MimeParser"/>, records the byte offsets its
/// begin/end events report for every entity and embedded message, then converts the entity tree to
/// <see cref="BodyPart"/>s with offsets relative to the message start.
/// </summary>
internal sealed class OffsetCollector
{
    private readonly Stream _stream;
    private readonly long _start;
    private readonly long _length;
    private readonly Dictionary<object, long> _begin = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, (long HeadersEnd, long End)> _end = new(ReferenceEqualityComparer.Instance);

    public OffsetCollector(Stream stream, long start, long length)
    {
        _stream = stream;
        _start = start;
        _length = length;
    }

    /// <summary>The raw References field of the top-level header (for threading keys), set by <see cref="Analyze"/>.</summary>
    public string? References { get; private set; }

    /// <summary>Parses and records offsets; when <paramref name="searchDocument"/> is given, slot 0 receives the
    /// search text built from the same parse.</summary>
    public MessageStructure Analyze(Search.SearchDocument?[]? searchDocument = null)
    {
        _stream.Position = _start;
        var parser = new MimeParser(MessageAnalyzer.Options, _stream, MimeFormat.Default, persistent: true);
        parser.MimeMessageBegin += (_, e) => _begin[e.Message] = e.BeginOffset;
        parser.MimeMessageEnd += (_, e) => _end[e.Message] = (e.HeadersEndOffset, e.EndOffset);
        parser.MimeEntityBegin += (_, e) => _begin[e.Entity] = e.BeginOffset;
        parser.MimeEntityEnd += (_, e) => _end[e.Entity] = (e.HeadersEndOffset, e.EndOffset);
        var message = parser.ParseMessage();
        References = EnvelopeReader.RawValue(message.Headers, HeaderId.References);
        var (headersEnd, _) = _end.TryGetValue(message, out var end) ? end : (_start, _start + _length);
        var body = Convert(message.Body, 0, Clamp(headersEnd), _length, 0);
        if (searchDocument is not null)
        {
            try
            {
                searchDocument[0] = Search.SearchDocument.FromMessage(message);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException or InvalidOperationException or IOException)
            {
                // Never let the search text change the structure FETCH serves: the store falls back to the evaluator.
                searchDocument[0] = null;
            }
        }
        return new MessageStructure { Envelope = EnvelopeReader.Read(message), Body = body };
    }

    private long Clamp(long absolute) => Math.Clamp(absolute - _start, 0, _length);

    private BodyPart Convert(MimeEntity? entity, long headerOffset, long bodyOffset, long endOffset, int depth)
    {
        if (entity is null)
        {
            return new BodyPart
            {
                Type = "text",
                Subtype = "plain",
                Parameters = [new("charset", "us-ascii")],
                HeaderOffset = headerOffset,
                BodyOffset = bodyOffset,
                EndOffset = endOffset,
                Lines = Lines(bodyOffset, endOffset),
            };
        }

        var contentType = entity.ContentType;
        var type = contentType.MediaType.ToLowerInvariant();
        var subtype = contentType.MediaSubtype.ToLowerInvariant();
        var parameters = new List<KeyValuePair<string, string>>(contentType.Parameters.Count + 1);
        foreach (var parameter in contentType.Parameters)
        {
            parameters.Add(new(parameter.Name, parameter.Value ?? string.Empty));
        }
        if (!entity.Headers.Contains(HeaderId.ContentType) && type == "text" && subtype == "plain" && parameters.Count == 0)
        {
            parameters.Add(new("charset", "us-ascii")); // RFC 2045 §5.2 default
        }

        List<BodyPart> children = [];
        Envelope? messageEnvelope = null;
        BodyPart? messageBody = null;
        long lines = 0;
        if (entity is Multipart multipart && depth < MessageAnalyzer.MaxDepth)
        {
            foreach (var child in multipart)
            {
                if (!_begin.TryGetValue(child, out var childBegin) || !_end.TryGetValue(child, out var childEnd)) continue;
                var h = Clamp(childBegin);
                var b = Math.Max(h, Clamp(childEnd.HeadersEnd));
                var e = Math.Max(b, Clamp(childEnd.End));
                children.Add(Convert(child, h, b, e, depth + 1));
            }
        }
        else if (entity is MessagePart { Message: { } inner } && depth < MessageAnalyzer.MaxDepth)
        {
            messageEnvelope = EnvelopeReader.Read(inner);
            var h = _begin.TryGetValue(inner, out var innerBegin) ? Clamp(innerBegin) : bodyOffset;
            var (innerHeadersEnd, innerEnd) = _end.TryGetValue(inner, out var ie) ? ie : (bodyOffset + _start, endOffset + _start);
            var b = Math.Max(h, Clamp(innerHeadersEnd));
            var e = Math.Max(b, Math.Min(Clamp(innerEnd), endOffset));
            messageBody = Convert(inner.Body, h, b, e, depth + 1);
            lines = Lines(bodyOffset, endOffset);
        }
        if (type == "text" || (type == "message" && (subtype == "rfc822" || subtype == "global")))
        {
            lines = Lines(bodyOffset, endOffset);
        }

        var disposition = entity.ContentDisposition;
        List<KeyValuePair<string, string>> dispositionParameters = [];
        if (disposition is not null)
        {
            foreach (var parameter in disposition.Parameters)
            {
                dispositionParameters.Add(new(parameter.Name, parameter.Value ?? string.Empty));
            }
        }

        var encoding = EnvelopeReader.RawValue(entity.Headers, HeaderId.ContentTransferEncoding);
        return new BodyPart
        {
            Type = type,
            Subtype = subtype,
            Parameters = parameters,
            ContentId = EnvelopeReader.RawValue(entity.Headers, HeaderId.ContentId),
            Description = EnvelopeReader.RawValue(entity.Headers, HeaderId.ContentDescription),
            Encoding = string.IsNullOrEmpty(encoding) ? "7BIT" : encoding.ToUpper(CultureInfo.InvariantCulture),
            Md5 = EnvelopeReader.RawValue(entity.Headers, HeaderId.ContentMd5),
            Disposition = disposition?.Disposition,
            DispositionParameters = dispositionParameters,
            Language = Languages(entity.Headers),
            Location = EnvelopeReader.RawValue(entity.Headers, HeaderId.ContentLocation),
            HeaderOffset = headerOffset,
            BodyOffset = bodyOffset,
            EndOffset = endOffset,
            Lines = lines,
            Children = children,
            MessageEnvelope = messageEnvelope,
            MessageBody = messageBody,
        };
    }

    private long Lines(long from, long to) => LineCounter.Count(_stream, _start + from, _start + to);

    private static List<string>? Languages(HeaderList headers)
    {
        var raw = EnvelopeReader.RawValue(headers, HeaderId.ContentLanguage);
        if (raw is null) return null;
        var tags = new List<string>();
        foreach (var tag in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            tags.Add(tag);
        }
        return tags.Count == 0 ? null : tags;
    }
}

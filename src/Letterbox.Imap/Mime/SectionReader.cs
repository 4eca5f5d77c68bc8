using System.Buffers;
using Letterbox.Imap.Commands;
using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Mime;

/// <summary>
/// Finds the octets of a FETCH <c>BODY[section]&lt;partial&gt;</c> in a stored message from its cached
/// <see cref="MessageStructure"/>, without reparsing MIME.
/// </summary>
/// <remarks>
/// <para>RFC 9051 §6.4.5 (section specification). Part numbers: in a message whose body is multipart,
/// <c>n</c> is its n-th child; in a message whose body is not multipart, only <c>1</c> exists and is that body.
/// Below a multipart part, <c>n</c> is its n-th child; below a message/rfc822 part, numbering continues in
/// the encapsulated message (so <c>2.1</c> is its body or its body's first child).</para>
/// <para>Results: <c>[]</c> the whole message; <c>HEADER</c> the header with its blank line; <c>TEXT</c> the
/// body; <c>n</c> the part's body (for a multipart, between its boundaries; for message/rfc822, the whole
/// encapsulated message); <c>n.MIME</c> the part's MIME header with its blank line; <c>n.HEADER</c>,
/// <c>n.TEXT</c>, <c>n.HEADER.FIELDS</c> the encapsulated message's, valid only when part n is message/rfc822.
/// A part that does not exist, or an invalid combination, gives <see cref="SectionContent.Empty"/>.</para>
/// </remarks>
public static class SectionReader
{
    /// <summary>
    /// Produces the section <paramref name="section"/> of the stored message, after the partial
    /// <c>&lt;origin.count&gt;</c> when <paramref name="partialOffset"/> is given. Only HEADER.FIELDS(.NOT) reads
    /// <paramref name="message"/> (the header octets, to filter them); every other section is returned as a range
    /// for <see cref="SectionContent.CopyToAsync"/> to stream.
    /// </summary>
    /// <param name="structure">The message's cached structure (offsets into the stored bytes).</param>
    /// <param name="section">The section from the FETCH item.</param>
    /// <param name="message">The stored message, seekable, position irrelevant.</param>
    /// <param name="partialOffset">Partial origin in octets, or null for the whole section.</param>
    /// <param name="partialLength">Partial count in octets, or null for "to the end".</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async ValueTask<SectionContent> ReadAsync(
        MessageStructure structure,
        Section section,
        Stream message,
        long? partialOffset,
        long? partialLength,
        CancellationToken cancellationToken)
    {
        SectionContent content;
        if (section.Text is SectionText.HeaderFields or SectionText.HeaderFieldsNot)
        {
            content = await ReadHeaderFieldsAsync(structure, section, message, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            content = Locate(structure, section);
        }
        return partialOffset is { } origin ? content.Slice(origin, partialLength) : content;
    }

    /// <summary>
    /// Returns the range of the stored message that <paramref name="section"/> designates (before any partial),
    /// with no I/O. For HEADER.FIELDS(.NOT) it returns the whole header they filter; use
    /// <see cref="ReadAsync"/> to get the filtered octets.
    /// </summary>
    public static SectionContent Locate(MessageStructure structure, Section section)
    {
        var top = structure.Body;
        if (section.Part.Count == 0)
        {
            return section.Text == SectionText.Mime ? SectionContent.Empty : OfMessage(top, section.Text);
        }

        var part = Resolve(top, section.Part);
        if (part is null)
        {
            return SectionContent.Empty;
        }
        switch (section.Text)
        {
            case SectionText.None:
                return Range(part.BodyOffset, part.EndOffset);
            case SectionText.Mime:
                return Range(part.HeaderOffset, part.BodyOffset);
            default:
                return BodyStructureEncoder.IsMessage(part) && part.MessageBody is { } inner
                    ? OfMessage(inner, section.Text)
                    : SectionContent.Empty;
        }
    }

    /// <summary>
    /// Returns the part that <paramref name="path"/> (1-based part numbers) designates below the message whose
    /// top-level body is <paramref name="top"/>, or null when there is no such part.
    /// </summary>
    public static BodyPart? Resolve(BodyPart top, IReadOnlyList<int> path)
    {
        BodyPart? part = null;
        for (var i = 0; i < path.Count; i++)
        {
            var number = path[i];
            if (i == 0)
            {
                part = InMessage(top, number);
            }
            else if (part!.IsMultipart)
            {
                part = Child(part, number);
            }
            else if (BodyStructureEncoder.IsMessage(part) && part.MessageBody is { } inner)
            {
                part = InMessage(inner, number);
            }
            else
            {
                part = null;
            }
            if (part is null)
            {
                return null;
            }
        }
        return part;
    }

    private static BodyPart? InMessage(BodyPart body, int number) =>
        body.IsMultipart ? Child(body, number) : number == 1 ? body : null;

    private static BodyPart? Child(BodyPart multipart, int number) =>
        number >= 1 && number <= multipart.Children.Count ? multipart.Children[number - 1] : null;

    // Sections of a message (top level or encapsulated) whose top-level body part is `body`.
    private static SectionContent OfMessage(BodyPart body, SectionText text) => text switch
    {
        SectionText.None => Range(body.HeaderOffset, body.EndOffset),
        SectionText.Text => Range(body.BodyOffset, body.EndOffset),
        SectionText.Header or SectionText.HeaderFields or SectionText.HeaderFieldsNot => Range(body.HeaderOffset, body.BodyOffset),
        _ => SectionContent.Empty,
    };

    private static SectionContent Range(long start, long end) => SectionContent.FromRange(start, end - start);

    private static async ValueTask<SectionContent> ReadHeaderFieldsAsync(
        MessageStructure structure, Section section, Stream message, CancellationToken cancellationToken)
    {
        var header = Locate(structure, section);
        if (section.Part.Count > 0 && header.Length == 0)
        {
            return SectionContent.Empty;
        }
        var length = (int)header.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            message.Position = header.Offset;
            await message.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            var exclude = section.Text == SectionText.HeaderFieldsNot;
            return SectionContent.FromBytes(HeaderFieldFilter.Filter(buffer.AsSpan(0, length), section.Fields, exclude));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

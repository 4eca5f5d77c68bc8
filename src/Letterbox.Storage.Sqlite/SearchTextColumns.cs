using System.Text;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Sqlite;

/// <summary>One message's folded search text as stored in <c>search_text</c> (search text format 2, see
/// docs/storage.md): each column is its pieces joined by <see cref="Unit"/>, so a needle without separator
/// characters matches a column exactly when it matches one piece. <c>headers</c> holds the message's own fields
/// (<see cref="SearchDocument.Fields"/>) joined by <see cref="Record"/>, then, when there are any, <see cref="Group"/>
/// and the MIME header texts (<see cref="SearchDocument.MimeHeaders"/>): TEXT finds both there, HEADER of a field
/// rebuilds the document (<see cref="ToDocument"/>) and never sees a MIME header as a field, and <c>body</c>, which
/// BODY searches, holds only <see cref="SearchDocument.Bodies"/> (RFC 9051 §6.4.4).</summary>
internal sealed record SearchTextColumns(string Headers, string? From, string? To, string? Cc, string? Bcc, string? Subject, string Body)
{
    /// <summary>Between a field's name and its values, between values, and between body texts (U+001F).</summary>
    public const char Unit = '\u001F';

    /// <summary>Between header fields in <c>headers</c> (U+001E).</summary>
    public const char Record = '\u001E';

    /// <summary>In <c>headers</c>, between the fields and the MIME header texts (U+001D); absent when there are no
    /// MIME header texts.</summary>
    public const char Group = '\u001D';

    /// <summary>Whether <paramref name="text"/> survives storage unchanged and cannot be confused with the
    /// separators: no U+0000, U+001D, U+001E, U+001F, and no unpaired surrogate (SQLite stores UTF-8).</summary>
    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\0' or Unit or Record or Group) return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The columns of <paramref name="document"/>, or null when some text is not storable (the message is
    /// then searched by parsing it, see <see cref="SearchEvaluator"/>).</summary>
    public static SearchTextColumns? Create(SearchDocument document)
    {
        var headers = new StringBuilder();
        StringBuilder? from = null, to = null, cc = null, bcc = null, subject = null;
        foreach (var field in document.Fields)
        {
            if (!IsStorable(field.Name)) return null;
            if (headers.Length > 0) headers.Append(Record);
            headers.Append(field.Name);
            var column = SearchSql.FieldColumn(field.Name) switch
            {
                "from_" => from ??= new StringBuilder(),
                "to_" => to ??= new StringBuilder(),
                "cc" => cc ??= new StringBuilder(),
                "bcc" => bcc ??= new StringBuilder(),
                "subject" => subject ??= new StringBuilder(),
                _ => null,
            };
            foreach (var value in field.Values)
            {
                if (!IsStorable(value)) return null;
                headers.Append(Unit).Append(value);
                if (column is not null)
                {
                    if (column.Length > 0) column.Append(Unit);
                    column.Append(value);
                }
            }
        }
        if (document.MimeHeaders.Count > 0)
        {
            headers.Append(Group);
            if (!AppendPieces(headers, document.MimeHeaders)) return null;
        }
        var body = new StringBuilder();
        if (!AppendPieces(body, document.Bodies)) return null;
        return new SearchTextColumns(headers.ToString(), from?.ToString(), to?.ToString(), cc?.ToString(), bcc?.ToString(), subject?.ToString(), body.ToString());
    }

    /// <summary>Appends <paramref name="pieces"/> joined by <see cref="Unit"/>; false when one is not storable.</summary>
    private static bool AppendPieces(StringBuilder column, IReadOnlyList<string> pieces)
    {
        for (var i = 0; i < pieces.Count; i++)
        {
            if (!IsStorable(pieces[i])) return false;
            if (i > 0) column.Append(Unit);
            column.Append(pieces[i]);
        }
        return true;
    }

    /// <summary>Rebuilds the document from the stored <c>headers</c> and <c>body</c> columns.</summary>
    public static SearchDocument ToDocument(string headers, string body)
    {
        var group = headers.IndexOf(Group, StringComparison.Ordinal);
        var fieldText = group < 0 ? headers : headers[..group];
        var fields = new List<SearchField>();
        if (fieldText.Length > 0)
        {
            foreach (var record in fieldText.Split(Record))
            {
                var parts = record.Split(Unit);
                fields.Add(new SearchField(parts[0], parts.AsSpan(1).ToArray()));
            }
        }
        string[] mimeHeaders = group < 0 ? [] : headers[(group + 1)..].Split(Unit);
        return new SearchDocument(fields, mimeHeaders, body.Length == 0 ? [] : body.Split(Unit));
    }
}

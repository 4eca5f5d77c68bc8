namespace Letterbox.Imap.Parsing;

/// <summary>A command's arguments do not match the grammar (or exceed a limit); becomes a BAD or NO response.</summary>
public sealed class ImapParseException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">Human-readable text for the response.</param>
    /// <param name="responseCode">Optional response code without brackets.</param>
    /// <param name="isNo">True for NO instead of BAD.</param>
    public ImapParseException(string message, string? responseCode = null, bool isNo = false)
        : base(message)
    {
        ResponseCode = responseCode;
        IsNo = isNo;
    }

    /// <summary>Optional response code without brackets (e.g. <c>BADCHARSET (UTF-8 US-ASCII)</c>).</summary>
    public string? ResponseCode { get; }

    /// <summary>True when the answer is NO rather than BAD.</summary>
    public bool IsNo { get; }
}

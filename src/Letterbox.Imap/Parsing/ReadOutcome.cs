using Letterbox.Imap.Commands;

namespace Letterbox.Imap.Parsing;

/// <summary>What <see cref="ImapRequestReader.Read"/> found in the buffered bytes.</summary>
public enum ReadStatus
{
    /// <summary>A complete command: <see cref="ReadOutcome.Request"/>.</summary>
    Request,
    /// <summary>The command is incomplete: read more bytes and call again.</summary>
    NeedMoreData,
    /// <summary>A synchronizing literal was accepted: write <c>+ Ready for literal data\r\n</c>, then call again
    /// (RFC 9051 §7.5).</summary>
    SendContinuation,
    /// <summary>APPEND message data follows: stream the next <see cref="ReadOutcome.LiteralLength"/> bytes into a
    /// stager yourself, then <see cref="ImapRequestReader.SupplyStagedLiteral"/> and call again.</summary>
    StreamLiteral,
    /// <summary>The command was rejected and skipped: answer BAD (or NO when <see cref="ReadOutcome.IsNo"/>).</summary>
    Error,
}

/// <summary>The result of one <see cref="ImapRequestReader.Read"/> call.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Request">The command, for <see cref="ReadStatus.Request"/>.</param>
/// <param name="LiteralLength">Bytes of APPEND message data to stream, for <see cref="ReadStatus.StreamLiteral"/>.</param>
/// <param name="Tag">The tag of the rejected command for <see cref="ReadStatus.Error"/>; null means answer untagged.</param>
/// <param name="ErrorText">Human-readable text for the BAD/NO response.</param>
/// <param name="ResponseCode">Optional response code without brackets, e.g. <c>TOOBIG</c>, <c>LIMIT</c>,
/// <c>BADCHARSET (UTF-8 US-ASCII)</c>.</param>
/// <param name="IsNo">True to answer NO instead of BAD.</param>
/// <param name="CloseConnection">True when the stream cannot be resynchronised: answer, then close.</param>
public readonly record struct ReadOutcome(
    ReadStatus Status,
    ImapRequest? Request = null,
    long LiteralLength = 0,
    string? Tag = null,
    string? ErrorText = null,
    string? ResponseCode = null,
    bool IsNo = false,
    bool CloseConnection = false);

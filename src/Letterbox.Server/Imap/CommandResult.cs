using Letterbox.Imap.Responses;

namespace Letterbox.Server.Imap;

/// <summary>
/// What a handler answers: the tagged status response the session writes after the handler's untagged
/// responses and the selected mailbox's pending updates (RFC 9051 §7.1). Codes are RFC 5530/9051 §7.1
/// <c>resp-text-code</c>s without brackets, e.g. <c>ALREADYEXISTS</c>.
/// </summary>
/// <param name="Condition">OK, NO or BAD.</param>
/// <param name="Code">A plain response code, or null.</param>
/// <param name="Text">Human-readable text.</param>
/// <param name="CodeWriter">Writes a structured code (e.g. <see cref="ImapResponseWriter.WriteAppendUidCode"/>)
/// instead of <paramref name="Code"/>; it writes the brackets and the trailing space.</param>
public readonly record struct CommandResult(
    ResponseCondition Condition,
    string? Code,
    string Text,
    Action<ImapResponseWriter>? CodeWriter = null)
{
    /// <summary><c>OK text</c>.</summary>
    public static CommandResult Ok(string text) => new(ResponseCondition.Ok, null, text);

    /// <summary><c>OK [code] text</c>.</summary>
    public static CommandResult Ok(string? code, string text) => new(ResponseCondition.Ok, code, text);

    /// <summary><c>NO [code] text</c>.</summary>
    public static CommandResult No(string? code, string text) => new(ResponseCondition.No, code, text);

    /// <summary><c>BAD text</c>.</summary>
    public static CommandResult Bad(string text) => new(ResponseCondition.Bad, null, text);

    /// <summary><c>BAD [code] text</c>.</summary>
    public static CommandResult Bad(string? code, string text) => new(ResponseCondition.Bad, code, text);
}

using Letterbox.Mail.Messages;

namespace Letterbox.Imap.Responses;

public sealed partial class ImapResponseWriter
{
    /// <summary>
    /// Writes a complete tagged status response (RFC 9051 §7.1):
    /// <c>tag SP cond SP ["[" code "]" SP] text CRLF</c>, e.g.
    /// <c>A003 OK [APPENDUID 38505 3955] APPEND completed</c>. <paramref name="tag"/> is written as received
    /// (the parser has checked it); <paramref name="code"/> is ASCII resp-text-code without brackets.
    /// </summary>
    public void WriteTagged(string tag, ResponseCondition condition, string? code, string text)
    {
        WriteStatusStart(tag, condition);
        if (code is not null)
        {
            WriteResponseCode(code);
        }
        WriteText(text);
        WriteCrlf();
    }

    /// <summary>Writes a tagged status response without a response code.</summary>
    public void WriteTagged(string tag, ResponseCondition condition, string text) => WriteTagged(tag, condition, null, text);

    /// <summary>
    /// Writes a complete untagged status response (RFC 9051 §7.1), e.g. <c>* OK [UIDVALIDITY 3857529045] UIDs
    /// valid</c> or <c>* BYE Logging out</c>.
    /// </summary>
    public void WriteUntagged(ResponseCondition condition, string? code, string text)
    {
        WriteStatusStart(null, condition);
        if (code is not null)
        {
            WriteResponseCode(code);
        }
        WriteText(text);
        WriteCrlf();
    }

    /// <summary>Writes an untagged status response without a response code.</summary>
    public void WriteUntagged(ResponseCondition condition, string text) => WriteUntagged(condition, null, text);

    /// <summary>
    /// Writes the start of a status response, <c>tag SP cond SP</c> or <c>* cond SP</c> when
    /// <paramref name="tag"/> is null, for callers that then write a typed response code (e.g.
    /// <see cref="WriteAppendUidCode"/>), <see cref="WriteText"/> and <see cref="WriteCrlf"/>.
    /// </summary>
    public void WriteStatusStart(string? tag, ResponseCondition condition)
    {
        if (tag is null)
        {
            WriteRaw("* "u8);
        }
        else
        {
            WriteAtom(tag);
            WriteSpace();
        }
        WriteRaw(condition switch
        {
            ResponseCondition.Ok => "OK "u8,
            ResponseCondition.No => "NO "u8,
            ResponseCondition.Bad => "BAD "u8,
            ResponseCondition.PreAuth => "PREAUTH "u8,
            _ => "BYE "u8,
        });
    }

    /// <summary>Writes <c>* </c>, the start of any untagged response (RFC 9051 §7).</summary>
    public void WriteUntaggedStart() => WriteRaw("* "u8);

    /// <summary>Writes <c>[code] </c> (RFC 9051 §7.1 <c>resp-text-code</c>), code given as ASCII text.</summary>
    public void WriteResponseCode(string code)
    {
        WriteByte((byte)'[');
        WriteAtom(code);
        WriteRaw("] "u8);
    }

    /// <summary>Writes <c>[APPENDUID uidvalidity uid-set] </c> (RFC 4315 §3, RFC 9051 §7.1).</summary>
    public void WriteAppendUidCode(AppendResult result)
    {
        WriteRaw("[APPENDUID "u8);
        WriteNumber(result.UidValidity);
        WriteSpace();
        WriteSequenceSet(result.Uids);
        WriteRaw("] "u8);
    }

    /// <summary>
    /// Writes <c>[COPYUID uidvalidity source-set destination-set] </c> (RFC 4315 §3, RFC 9051 §7.1); both sets
    /// keep the pairwise order of <paramref name="result"/>.
    /// </summary>
    public void WriteCopyUidCode(CopyResult result)
    {
        WriteRaw("[COPYUID "u8);
        WriteNumber(result.DestinationUidValidity);
        WriteSpace();
        WriteSequenceSet(result.SourceUids);
        WriteSpace();
        WriteSequenceSet(result.DestinationUids);
        WriteRaw("] "u8);
    }

    /// <summary>Writes a continuation request <c>+ text CRLF</c> (RFC 9051 §7.6, <c>continue-req</c>).</summary>
    public void WriteContinuation(string text)
    {
        WriteRaw("+ "u8);
        WriteText(text);
        WriteCrlf();
    }
}

using Letterbox.Mail.Search;

namespace Letterbox.Imap.Commands;

/// <summary>ESEARCH return options (RFC 4731 §3.1, RFC 5182 SAVE).</summary>
[Flags]
public enum SearchReturnOptions
{
    /// <summary>No RETURN clause: a classic <c>* SEARCH</c> answer.</summary>
    None = 0,
    /// <summary>MIN.</summary>
    Min = 1,
    /// <summary>MAX.</summary>
    Max = 2,
    /// <summary>ALL.</summary>
    All = 4,
    /// <summary>COUNT.</summary>
    Count = 8,
    /// <summary>SAVE.</summary>
    Save = 16,
}

/// <summary>
/// <c>[UID] SEARCH [RETURN (opts)] [CHARSET name] keys</c> (RFC 9051 §6.4.4). <see cref="Return"/> is null when
/// there is no RETURN clause; <c>RETURN ()</c> is <see cref="SearchReturnOptions.All"/> per RFC 4731.
/// Charset is upper-cased, null when absent; string arguments are already decoded from it.
/// </summary>
public sealed record SearchCommand(bool Uid, string? Charset, SearchKey Key, SearchReturnOptions? Return = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "SEARCH";
}

namespace Letterbox.Imap.Commands;

/// <summary>LIST-EXTENDED selection options (RFC 5258 §3, RFC 6154 §4).</summary>
[Flags]
public enum ListSelectOptions
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>SUBSCRIBED.</summary>
    Subscribed = 1,
    /// <summary>REMOTE (accepted, no effect).</summary>
    Remote = 2,
    /// <summary>RECURSIVEMATCH.</summary>
    RecursiveMatch = 4,
    /// <summary>SPECIAL-USE.</summary>
    SpecialUse = 8,
}

/// <summary>LIST-EXTENDED return options (RFC 5258 §4, RFC 6154, RFC 5819 STATUS).</summary>
[Flags]
public enum ListReturnOptions
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>SUBSCRIBED.</summary>
    Subscribed = 1,
    /// <summary>CHILDREN.</summary>
    Children = 2,
    /// <summary>SPECIAL-USE.</summary>
    SpecialUse = 4,
    /// <summary>STATUS (items in <see cref="ListCommand.StatusItems"/>).</summary>
    Status = 8,
}

/// <summary>
/// <c>LIST [(select-opts)] reference (pattern | (patterns)) [RETURN (return-opts)]</c> (RFC 9051 §6.3.9,
/// RFC 5258). Reference and patterns are decoded from modified UTF-7 to Unicode.
/// </summary>
public sealed record ListCommand(
    string Reference,
    IReadOnlyList<string> Patterns,
    ListSelectOptions SelectOptions = ListSelectOptions.None,
    ListReturnOptions ReturnOptions = ListReturnOptions.None,
    IReadOnlyList<StatusItem>? StatusItems = null) : ImapCommand
{
    /// <inheritdoc/>
    public override string Name => "LIST";

    /// <summary>True when the client used any LIST-EXTENDED syntax (so extended results are expected).</summary>
    public bool IsExtended => SelectOptions != ListSelectOptions.None || ReturnOptions != ListReturnOptions.None || Patterns.Count != 1;
}

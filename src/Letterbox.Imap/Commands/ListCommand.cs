using Letterbox.Imap.Parsing;
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

    /// <summary>
    /// <c>[SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]</c> (RFC 5258 §6), where mbox-or-pat is
    /// a list-mailbox or <c>"(" list-mailbox *(SP list-mailbox) ")"</c>.
    /// </summary>
    internal static ListCommand Parse(ref ImapParser p)
    {
        p.Sp("a reference name");
        var select = ListSelectOptions.None;
        if (p.Peek() == '(')
        {
            select = SelectOpts(ref p);
            p.Sp("a reference name");
        }
        var reference = p.Mailbox("reference name");
        p.Sp("a mailbox pattern");
        var patterns = new List<string>();
        if (p.TryConsume((byte)'('))
        {
            while (true)
            {
                patterns.Add(p.ListMailbox());
                if (p.TryConsume((byte)')'))
                {
                    break;
                }
                p.Sp("a mailbox pattern");
            }
        }
        else
        {
            patterns.Add(p.ListMailbox());
        }
        var ret = ListReturnOptions.None;
        List<StatusItem>? status = null;
        if (p.TrySp())
        {
            if (!p.TryKeyword("RETURN"u8))
            {
                throw ImapParser.Bad("Expected RETURN after the mailbox pattern");
            }
            p.Sp("'(' starting the return options");
            p.Expect((byte)'(', "'(' starting the return options");
            while (!p.TryConsume((byte)')'))
            {
                p.TrySp();
                var name = p.UpperAtom("return option");
                switch (name)
                {
                    case "SUBSCRIBED": ret |= ListReturnOptions.Subscribed; break;
                    case "CHILDREN": ret |= ListReturnOptions.Children; break;
                    case "SPECIAL-USE": ret |= ListReturnOptions.SpecialUse; break;
                    case "STATUS":
                        p.Sp("'(' starting the status items");
                        status = StatusCommand.StatusAttList(ref p);
                        ret |= ListReturnOptions.Status;
                        break;
                    default: throw ImapParser.Bad($"Unknown LIST return option {name}");
                }
            }
        }
        return new ListCommand(reference, patterns, select, ret, status);
    }

    private static ListSelectOptions SelectOpts(ref ImapParser p)
    {
        p.Expect((byte)'(', "'(' starting the selection options");
        var select = ListSelectOptions.None;
        while (!p.TryConsume((byte)')'))
        {
            p.TrySp();
            var name = p.UpperAtom("selection option");
            select |= name switch
            {
                "SUBSCRIBED" => ListSelectOptions.Subscribed,
                "REMOTE" => ListSelectOptions.Remote,
                "RECURSIVEMATCH" => ListSelectOptions.RecursiveMatch,
                "SPECIAL-USE" => ListSelectOptions.SpecialUse,
                _ => throw ImapParser.Bad($"Unknown LIST selection option {name}"),
            };
        }
        if (select == ListSelectOptions.RecursiveMatch)
        {
            throw ImapParser.Bad("RECURSIVEMATCH needs another selection option (RFC 5258 §3)");
        }
        return select;
    }
}

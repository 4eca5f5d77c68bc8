namespace Letterbox.Imap.Responses;

/// <summary>The condition word of a status response (RFC 9051 §7.1).</summary>
public enum ResponseCondition
{
    /// <summary><c>OK</c> (§7.1.1).</summary>
    Ok,
    /// <summary><c>NO</c> (§7.1.2).</summary>
    No,
    /// <summary><c>BAD</c> (§7.1.3).</summary>
    Bad,
    /// <summary><c>PREAUTH</c>, untagged greeting only (§7.1.4).</summary>
    PreAuth,
    /// <summary><c>BYE</c>, untagged only (§7.1.5).</summary>
    Bye,
}

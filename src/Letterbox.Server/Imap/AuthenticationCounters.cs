using System.Collections.Concurrent;

namespace Letterbox.Server.Imap;

/// <summary>
/// Counts of authentication outcomes since the server started, in total and per mechanism: <c>LOGIN</c> for the
/// LOGIN command (RFC 9051 §6.2.3), the SASL mechanism name for AUTHENTICATE (RFC 9051 §6.2.2: <c>PLAIN</c>,
/// <c>SCRAM-SHA-256</c>, …, with <c>AUTHENTICATE LOGIN</c> as <c>AUTH=LOGIN</c> to tell it from the command). Shared by
/// every connection of a server (<see cref="ImapServerOptions.AuthenticationCounters"/>); thread-safe.
/// </summary>
public sealed class AuthenticationCounters
{
    private readonly ConcurrentDictionary<string, Outcomes> _byMechanism = new(StringComparer.Ordinal);
    private long _succeeded;
    private long _failed;
    private long _refused;

    /// <summary>Successful logins.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Failed attempts (wrong password, unknown user, bad SCRAM proof), each answered
    /// <c>NO [AUTHENTICATIONFAILED]</c>.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Passwords refused unread because plaintext authentication is not allowed on the connection
    /// (<c>NO [PRIVACYREQUIRED]</c>, RFC 5530 §3).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Successful logins with <paramref name="mechanism"/> (see the class summary for the names).</summary>
    public long SucceededWith(string mechanism) => _byMechanism.TryGetValue(mechanism, out var o) ? Interlocked.Read(ref o.Succeeded) : 0;

    /// <summary>Failed attempts with <paramref name="mechanism"/>.</summary>
    public long FailedWith(string mechanism) => _byMechanism.TryGetValue(mechanism, out var o) ? Interlocked.Read(ref o.Failed) : 0;

    internal void RecordSuccess(string mechanism)
    {
        Interlocked.Increment(ref _succeeded);
        Interlocked.Increment(ref For(mechanism).Succeeded);
    }

    internal void RecordFailure(string mechanism)
    {
        Interlocked.Increment(ref _failed);
        Interlocked.Increment(ref For(mechanism).Failed);
    }

    internal void RecordRefused() => Interlocked.Increment(ref _refused);

    private Outcomes For(string mechanism) => _byMechanism.GetOrAdd(mechanism, static _ => new Outcomes());

    private sealed class Outcomes
    {
        public long Succeeded;
        public long Failed;
    }
}

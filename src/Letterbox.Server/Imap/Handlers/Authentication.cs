using Letterbox.Imap.Responses;
using Letterbox.Mail.Users;
using Microsoft.Extensions.Logging;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// The password check shared by LOGIN and AUTHENTICATE PLAIN: PBKDF2 verification (also for unknown users, so
/// timing does not reveal which names exist; recent successes are remembered by <see cref="CredentialCache"/>), a
/// growing delay per failure on the connection and from the remote address (<see cref="LoginFailureTracker"/>), and <c>* BYE</c> after
/// <see cref="ImapServerOptions.MaxLoginFailures"/>. Every outcome is logged (user name, remote address, mechanism;
/// never the password) and counted in <see cref="ImapServerOptions.AuthenticationCounters"/>.
/// </summary>
public static class Authentication
{
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    /// <summary>
    /// Verifies <paramref name="userName"/>/<paramref name="password"/> and logs the session in. On failure answers
    /// <c>NO [AUTHENTICATIONFAILED] Invalid credentials</c> (RFC 5530) after the delay, and ends the session once
    /// the failure limit is reached.
    /// </summary>
    /// <param name="session">The session to log in.</param>
    /// <param name="userName">The user name as the client sent it.</param>
    /// <param name="password">The password; never logged.</param>
    /// <param name="commandName">LOGIN or AUTHENTICATE, for the tagged reply.</param>
    /// <param name="mechanism">For logs and counters: <c>LOGIN</c> for the command, else the SASL mechanism name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async ValueTask<CommandResult> AuthenticateAsync(ImapSession session, string userName, string password, string commandName, string mechanism, CancellationToken cancellationToken)
    {
        var user = userName.Length == 0 ? null : await session.Store.FindUserAsync(userName, cancellationToken);
        var cache = session.Options.CredentialCache;
        var verified = user is not null && cache.IsKnownGood(user.Name, user.PasswordHash, password);
        if (!verified)
        {
            verified = PasswordHasher.Verify(password, user?.PasswordHash ?? DummyHash.Value);
            if (verified && user is not null) cache.Remember(user.Name, user.PasswordHash, password);
        }
        if (verified && user is not null)
        {
            return Succeed(session, user, commandName, mechanism);
        }
        return await FailAsync(session, userName, mechanism, cancellationToken);
    }

    /// <summary>Logs the session in as <paramref name="user"/> (verified by the caller) and answers
    /// <c>OK [CAPABILITY …] <paramref name="commandName"/> completed</c> (RFC 9051 §6.2.2, §6.2.3); logs and counts
    /// the success under <paramref name="mechanism"/> — unless the user
    /// already has <see cref="ImapServerOptions.MaxUserConnections"/> sessions from this address: then
    /// <c>NO [LIMIT] Too many connections for this user from this address</c> (RFC 5530 §3), not logged in, not
    /// counted as a failure.</summary>
    public static CommandResult Succeed(ImapSession session, UserRecord user, string commandName, string mechanism)
    {
        if (!session.TryTakeUserSlot(user))
        {
            session.Logger.LogWarning("Refused {User} from {Remote}: {Limit} connections from this address already", user.Name, session.RemoteEndPoint, session.Options.MaxUserConnections);
            return CommandResult.No("LIMIT", "Too many connections for this user from this address");
        }
        session.Login(user);
        session.Options.AuthenticationCounters.RecordSuccess(mechanism);
        session.Logger.LogInformation("{User} logged in from {Remote} with {Mechanism}{Tls}", user.Name, session.RemoteEndPoint, mechanism, session.IsTls ? " over TLS" : "");
        return CommandResult.Ok("CAPABILITY " + session.CapabilityLine, commandName + " completed");
    }

    /// <summary>Counts a failure (under <paramref name="mechanism"/>), logs it, waits, and answers
    /// NO [AUTHENTICATIONFAILED] (closing after too many).</summary>
    public static async ValueTask<CommandResult> FailAsync(ImapSession session, string userName, string mechanism, CancellationToken cancellationToken)
    {
        var failures = session.RecordLoginFailure();
        var fromAddress = session.Options.LoginFailures.RecordFailure(session.RemoteEndPoint);
        session.Options.AuthenticationCounters.RecordFailure(mechanism);
        session.Logger.LogWarning("Failed login for {User} from {Remote} with {Mechanism} ({Failures} on this connection, {AddressFailures} from this address)", userName, session.RemoteEndPoint, mechanism, failures, fromAddress);
        var delay = session.Options.LoginFailureDelay * Math.Max(failures, fromAddress);
        if (delay > session.Options.MaxLoginFailureDelay)
        {
            delay = session.Options.MaxLoginFailureDelay;
        }
        if (delay > TimeSpan.Zero)
        {
            await session.FlushAsync(cancellationToken);
            await Task.Delay(delay, cancellationToken);
        }
        if (failures >= session.Options.MaxLoginFailures)
        {
            session.EndSession("Too many failed authentication attempts");
        }
        return CommandResult.No("AUTHENTICATIONFAILED", "Invalid credentials");
    }

    /// <summary><c>NO [PRIVACYREQUIRED]</c> (RFC 5530 §3) for a password sent where plaintext auth is not allowed;
    /// the text says what to do.</summary>
    public static CommandResult PrivacyRequired(ImapSession session, string mechanism)
    {
        session.Options.AuthenticationCounters.RecordRefused();
        session.Logger.LogInformation("Refused a cleartext password from {Remote} with {Mechanism}: plaintext authentication is not allowed on this connection", session.RemoteEndPoint, mechanism);
        return CommandResult.No("PRIVACYREQUIRED", session.StartTlsAvailable
            ? "Plaintext authentication is disabled: use STARTTLS first"
            : "Plaintext authentication is disabled: connect with TLS");
    }

    internal static void WriteEmptyContinuation(ImapResponseWriter writer) => writer.WriteRaw("+ \r\n"u8);
}

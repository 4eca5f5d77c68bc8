using Letterbox.Imap.Responses;
using Letterbox.Mail.Users;
using Microsoft.Extensions.Logging;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// The password check shared by LOGIN and AUTHENTICATE PLAIN: PBKDF2 verification (also for unknown users, so
/// timing does not reveal which names exist; recent successes are remembered by <see cref="CredentialCache"/>), a growing delay per failure, and <c>* BYE</c> after
/// <see cref="ImapServerOptions.MaxLoginFailures"/>. Logs the user name and remote address, never the password.
/// </summary>
public static class Authentication
{
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    /// <summary>
    /// Verifies <paramref name="userName"/>/<paramref name="password"/> and logs the session in. On failure answers
    /// <c>NO [AUTHENTICATIONFAILED] Invalid credentials</c> (RFC 5530) after the delay, and ends the session once
    /// the failure limit is reached.
    /// </summary>
    public static async ValueTask<CommandResult> AuthenticateAsync(ImapSession session, string userName, string password, string commandName, CancellationToken cancellationToken)
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
            session.Login(user);
            session.Logger.LogInformation("{User} logged in from {Remote}", user.Name, session.RemoteEndPoint);
            return CommandResult.Ok("CAPABILITY " + ImapCapabilities.Line, commandName + " completed");
        }
        return await FailAsync(session, userName, cancellationToken);
    }

    /// <summary>Counts a failure, waits, and answers NO [AUTHENTICATIONFAILED] (closing after too many).</summary>
    public static async ValueTask<CommandResult> FailAsync(ImapSession session, string userName, CancellationToken cancellationToken)
    {
        var failures = session.RecordLoginFailure();
        session.Logger.LogWarning("Failed login for {User} from {Remote} ({Failures} on this connection)", userName, session.RemoteEndPoint, failures);
        var delay = session.Options.LoginFailureDelay * failures;
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

    internal static void WriteEmptyContinuation(ImapResponseWriter writer) => writer.WriteRaw("+ \r\n"u8);
}

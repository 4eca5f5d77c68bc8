using Letterbox.Mail.Users;

namespace Letterbox.Server.Imap;

/// <summary>
/// The state of an IMAP session (RFC 9051 §3) as a closed set of types that carry their data. Exactly one of
/// <see cref="NotAuthenticatedState"/>, <see cref="AuthenticatedState"/>, <see cref="SelectedState"/> and
/// <see cref="LogoutState"/>.
/// </summary>
public abstract record SessionState
{
    private protected SessionState()
    {
    }

    /// <summary>The flag of this state, for checks against <see cref="CommandEntry.AllowedStates"/>.</summary>
    public abstract SessionStates Flag { get; }
}

/// <summary>Before LOGIN/AUTHENTICATE (RFC 9051 §3.1). <paramref name="Failures"/> counts failed attempts.</summary>
public sealed record NotAuthenticatedState(int Failures) : SessionState
{
    /// <inheritdoc/>
    public override SessionStates Flag => SessionStates.NotAuthenticated;
}

/// <summary>Logged in, no mailbox selected (RFC 9051 §3.2).</summary>
public sealed record AuthenticatedState(UserRecord User) : SessionState
{
    /// <inheritdoc/>
    public override SessionStates Flag => SessionStates.Authenticated;
}

/// <summary>Logged in with a mailbox selected (RFC 9051 §3.3).</summary>
public sealed record SelectedState(UserRecord User, ISelectedMailbox Mailbox) : SessionState
{
    /// <inheritdoc/>
    public override SessionStates Flag => SessionStates.Selected;
}

/// <summary>The connection is ending (RFC 9051 §3.4): LOGOUT, too many failures, shutdown.</summary>
public sealed record LogoutState : SessionState
{
    /// <summary>The single instance.</summary>
    public static LogoutState Instance { get; } = new();

    /// <inheritdoc/>
    public override SessionStates Flag => SessionStates.Logout;
}

/// <summary>Session states as flags, for the command registry's "allowed in" column.</summary>
[Flags]
public enum SessionStates
{
    /// <summary>No state.</summary>
    None = 0,
    /// <summary>Not authenticated.</summary>
    NotAuthenticated = 1,
    /// <summary>Authenticated.</summary>
    Authenticated = 2,
    /// <summary>Selected.</summary>
    Selected = 4,
    /// <summary>Logout (no command is allowed).</summary>
    Logout = 8,
    /// <summary>Authenticated or selected: every command that needs a user.</summary>
    LoggedIn = Authenticated | Selected,
    /// <summary>Any state a command can run in.</summary>
    Any = NotAuthenticated | Authenticated | Selected,
}

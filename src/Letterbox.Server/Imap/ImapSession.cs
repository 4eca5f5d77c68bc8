using System.Net;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Store;
using Letterbox.Mail.Users;
using Microsoft.Extensions.Logging;

namespace Letterbox.Server.Imap;

/// <summary>Extensions a client has turned on with ENABLE (RFC 5161, RFC 9051 §6.3.1).</summary>
[Flags]
public enum EnabledExtensions
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>IMAP4rev2 (RFC 9051 §6.3.1): UTF-8 mailbox names, no RECENT.</summary>
    Imap4Rev2 = 1,
    /// <summary>UTF8=ACCEPT (RFC 6855).</summary>
    Utf8Accept = 2,
    /// <summary>CONDSTORE (RFC 7162 §3.1).</summary>
    Condstore = 4,
    /// <summary>QRESYNC (RFC 7162 §3.2).</summary>
    QResync = 8,
}

/// <summary>
/// One client's IMAP session as handlers see it: its state (RFC 9051 §3), the store, the response writer for
/// untagged responses, and the few operations handlers need from the connection (reading a raw line, flushing,
/// ending the session). Created by <see cref="ImapConnection"/>; not thread-safe (one command at a time).
/// </summary>
public sealed class ImapSession
{
    private readonly ImapConnection _connection;

    internal ImapSession(ImapConnection connection, IMailStore store, ImapServerOptions options, ILogger logger, EndPoint? remoteEndPoint, ImapResponseWriter writer)
    {
        _connection = connection;
        Store = store;
        Options = options;
        Logger = logger;
        RemoteEndPoint = remoteEndPoint;
        Writer = writer;
    }

    /// <summary>The current state.</summary>
    public SessionState State { get; private set; } = new NotAuthenticatedState(0);

    /// <summary>The logged-in user in the Authenticated and Selected states; null otherwise.</summary>
    public UserRecord? User => State switch
    {
        AuthenticatedState a => a.User,
        SelectedState s => s.User,
        _ => null,
    };

    /// <summary>The logged-in user, for handlers registered for <see cref="SessionStates.LoggedIn"/> states.</summary>
    /// <exception cref="InvalidOperationException">Not logged in (the registry prevents this).</exception>
    public UserRecord RequiredUser => User ?? throw new InvalidOperationException("Not authenticated.");

    /// <summary>The selected mailbox in the Selected state; null otherwise.</summary>
    public ISelectedMailbox? SelectedMailbox => State is SelectedState s ? s.Mailbox : null;

    /// <summary>The mail store.</summary>
    public IMailStore Store { get; }

    /// <summary>Server settings.</summary>
    public ImapServerOptions Options { get; }

    /// <summary>The connection's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>The client's address, or null for an in-memory session.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>True when the connection runs over TLS (implicit TLS, or after STARTTLS).</summary>
    public bool IsTls => _connection.IsTls;

    /// <summary>True when STARTTLS may be used now: the connection is cleartext and can upgrade (RFC 9051 §6.2.1).</summary>
    public bool StartTlsAvailable => _connection.CanStartTls && !_connection.IsTls;

    /// <summary>
    /// True when LOGIN and the password-sending SASL mechanisms are allowed on this connection under
    /// <see cref="ImapServerOptions.PlaintextAuth"/>: always under TLS; without TLS only with
    /// <see cref="PlaintextAuthPolicy.Always"/>, or <see cref="PlaintextAuthPolicy.Loopback"/> and a loopback (or
    /// in-process) client. Otherwise CAPABILITY lists LOGINDISABLED (RFC 9051 §6.2.3).
    /// </summary>
    public bool PlaintextAuthAllowed => IsTls || Options.PlaintextAuth switch
    {
        PlaintextAuthPolicy.Always => true,
        PlaintextAuthPolicy.Loopback => IsLoopback(RemoteEndPoint),
        _ => false,
    };

    /// <summary>
    /// The <c>tls-server-end-point</c> channel binding (RFC 5929 §4) of this connection for SCRAM-SHA-256-PLUS: the hash
    /// of the certificate its handshake presented (a later certificate reload does not change it), else of
    /// <see cref="ImapServerOptions.Certificate"/>; null when the connection is not TLS or the certificate allows none
    /// (<see cref="ChannelBinding.ServerEndPoint"/>).
    /// </summary>
    public byte[]? ServerEndPointBinding => !IsTls ? null
        : _connection.TlsIdentity is { } identity ? identity.ServerEndPoint
        : Options.Certificate is { } certificate ? _serverEndPoint ??= ChannelBinding.ServerEndPoint(certificate) : null;

    private byte[]? _serverEndPoint;

    /// <summary>The capability line for this connection now (see <see cref="ImapCapabilities.For(ImapSession)"/>).</summary>
    public string CapabilityLine => ImapCapabilities.For(this);

    /// <summary>Asks the connection to negotiate TLS right after this command's tagged OK is sent (STARTTLS); input
    /// the client pipelined after the command is discarded (RFC 9051 §6.2.1, CVE-2011-0411).</summary>
    /// <exception cref="InvalidOperationException">STARTTLS is not available (<see cref="StartTlsAvailable"/>).</exception>
    public void RequestStartTls()
    {
        if (!StartTlsAvailable)
        {
            throw new InvalidOperationException("STARTTLS is not available on this connection.");
        }
        _connection.StartTlsRequested = true;
    }

    /// <summary>Writes untagged responses; the session flushes once per batch of commands.</summary>
    public ImapResponseWriter Writer { get; }

    /// <summary>The tag of the command being run, e.g. for the ESEARCH correlator <c>(TAG "a1")</c> (RFC 4731 §3.1).</summary>
    public string CurrentTag { get; internal set; } = "";

    /// <summary>Extensions turned on with ENABLE.</summary>
    public EnabledExtensions Enabled { get; private set; }

    /// <summary>True when mailbox names and strings may be sent as UTF-8 (IMAP4rev2 or UTF8=ACCEPT enabled);
    /// otherwise names are sent in modified UTF-7 (RFC 9051 §5.1.3).</summary>
    public bool Utf8 => (Enabled & (EnabledExtensions.Imap4Rev2 | EnabledExtensions.Utf8Accept)) != 0;

    /// <summary>Turns on extensions (ENABLE); the writer switches to UTF-8 names for IMAP4rev2/UTF8=ACCEPT.</summary>
    public void Enable(EnabledExtensions extensions)
    {
        Enabled |= extensions;
        Writer.AllowUtf8 = Utf8;
    }

    /// <summary>Moves from Not Authenticated to Authenticated as <paramref name="user"/>.</summary>
    /// <exception cref="InvalidOperationException">Not in the Not Authenticated state.</exception>
    public void Login(UserRecord user)
    {
        if (State is not NotAuthenticatedState)
        {
            throw new InvalidOperationException("Already authenticated.");
        }
        State = new AuthenticatedState(user);
    }

    private IDisposable? _userSlot;

    /// <summary>Takes this session's slot in <see cref="ImapServerOptions.UserConnections"/> for
    /// <paramref name="user"/> from its remote address; false when <see cref="ImapServerOptions.MaxUserConnections"/>
    /// are taken. The slot is given back when the connection ends.</summary>
    public bool TryTakeUserSlot(UserRecord user)
    {
        _userSlot?.Dispose();
        _userSlot = Options.UserConnections.TryAcquire(user.Id, RemoteEndPoint, Options.MaxUserConnections);
        return _userSlot is not null;
    }

    internal void ReleaseUserSlot()
    {
        _userSlot?.Dispose();
        _userSlot = null;
    }

    /// <summary>Counts a failed authentication; returns the number of failures on this connection so far.</summary>
    public int RecordLoginFailure()
    {
        var failures = State is NotAuthenticatedState n ? n.Failures + 1 : 1;
        State = new NotAuthenticatedState(failures);
        return failures;
    }

    /// <summary>
    /// Set when the selected mailbox changes (the store's change feed, <see cref="IChangeFeed.WatchMailbox"/>);
    /// IDLE waits on it. Registered by <see cref="SelectAsync"/>, removed on unselect, reselect and session end.
    /// </summary>
    public ChangeSignal Changes { get; } = new();

    private IDisposable? _selectedWatch;

    /// <summary>Enters the Selected state with <paramref name="mailbox"/>, disposing the previously selected one, and
    /// watches the mailbox on the store's change feed with <see cref="Changes"/>. Changes committed before the
    /// watch starts are still reported: the end-of-command sync after SELECT reads them.</summary>
    /// <exception cref="InvalidOperationException">Not logged in.</exception>
    public async ValueTask SelectAsync(ISelectedMailbox mailbox)
    {
        var user = User ?? throw new InvalidOperationException("Not authenticated.");
        var previous = SelectedMailbox;
        State = new SelectedState(user, mailbox);
        _selectedWatch?.Dispose();
        _selectedWatch = Store.ChangeFeed.WatchMailbox(mailbox.MailboxId, Changes);
        if (previous is not null && !ReferenceEquals(previous, mailbox))
        {
            await previous.DisposeAsync();
        }
    }

    private void StopWatchingSelected()
    {
        _selectedWatch?.Dispose();
        _selectedWatch = null;
    }

    /// <summary>Leaves the Selected state for Authenticated (CLOSE, UNSELECT, failed SELECT), disposing the view.
    /// Does nothing when no mailbox is selected.</summary>
    public async ValueTask UnselectAsync()
    {
        if (State is SelectedState s)
        {
            State = new AuthenticatedState(s.User);
            StopWatchingSelected();
            await s.Mailbox.DisposeAsync();
        }
    }

    /// <summary>
    /// Ends the session after the current command's tagged reply: the connection then writes
    /// <c>* BYE <paramref name="byeText"/></c> (unless null, e.g. LOGOUT wrote its own BYE first) and closes.
    /// </summary>
    public void EndSession(string? byeText)
    {
        if (State is SelectedState s)
        {
            _endedSelected = s.Mailbox; // disposed with the connection (DisposeSelectedAsync)
        }
        State = LogoutState.Instance;
        PendingBye = byeText;
    }

    internal string? PendingBye { get; private set; }

    private ISelectedMailbox? _endedSelected;

    /// <summary>
    /// Flushes pending output, then reads one raw line from the client (without CRLF, decoded as UTF-8), e.g. an
    /// AUTHENTICATE continuation response or IDLE's DONE. Returns null when the client closed the connection.
    /// Cancelled by <paramref name="cancellationToken"/> and by server shutdown (OperationCanceledException); a
    /// cancelled read loses no input.
    /// </summary>
    /// <exception cref="ImapProtocolException">The line is longer than <see cref="Letterbox.Imap.Parsing.ImapLimits.MaxLineLength"/>;
    /// the connection is then closed.</exception>
    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => _connection.ReadLineAsync(cancellationToken);

    /// <summary>Sends everything written so far (e.g. before waiting in IDLE). Commands need not call it.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _connection.FlushOutputAsync(cancellationToken);

    private static bool IsLoopback(EndPoint? remote) => remote switch
    {
        null => true,
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address),
        _ => false,
    };

    /// <summary>The active NOTIFY SET (RFC 5465), or null (never set, NOTIFY NONE, or dropped after
    /// NOTIFICATIONOVERFLOW).</summary>
    internal Notify.NotifyWatch? Notify { get; set; }

    /// <summary>Ends NOTIFY (NOTIFY NONE, a new NOTIFY SET, overflow, session end): unregisters from the change feed.</summary>
    internal void StopNotify()
    {
        Notify?.Dispose();
        Notify = null;
    }

    /// <summary>
    /// Writes pending NOTIFY notifications (RFC 5465 §5): <c>* STATUS</c> / <c>* LIST</c> for other mailboxes and, when
    /// SELECTED or SELECTED-DELAYED asks for message events, the selected mailbox's changes. Does nothing without
    /// NOTIFY. Callers write only when no command output can interleave: between commands, at the end of a command,
    /// in IDLE. Does not flush.
    /// </summary>
    /// <param name="allowExpunge">Whether EXPUNGE may be sent now (RFC 9051 §7.5.1).</param>
    /// <param name="cancellationToken">Cancels store reads.</param>
    public async ValueTask DeliverNotificationsAsync(bool allowExpunge, CancellationToken cancellationToken)
    {
        if (Notify is { } watch && !await watch.WriteAsync(this, allowExpunge, cancellationToken))
        {
            StopNotify();
        }
    }

    internal async ValueTask DisposeSelectedAsync()
    {
        StopWatchingSelected();
        if (Interlocked.Exchange(ref _endedSelected, null) is { } ended)
        {
            await ended.DisposeAsync();
        }
        if (State is SelectedState s)
        {
            State = LogoutState.Instance;
            await s.Mailbox.DisposeAsync();
        }
    }
}

/// <summary>The client broke the protocol so that the connection cannot continue; the connection answers
/// <c>* BYE message</c> and closes.</summary>
public sealed class ImapProtocolException(string message) : Exception(message);

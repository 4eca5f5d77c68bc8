using Letterbox.Imap.Commands;
using Letterbox.Server.Imap.Handlers;

namespace Letterbox.Server.Imap;

/// <summary>Per-command flags checked by the session, not by the handler (RFC 9051 §5.5).</summary>
[Flags]
public enum CommandFlags
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>The command addresses messages by sequence number unless it is the UID form (FETCH, STORE, SEARCH,
    /// COPY, MOVE): no EXPUNGE may be sent while it is answered (RFC 9051 §7.5.1), and it may not be pipelined after
    /// a command that may expunge (§5.5; the session runs commands strictly one at a time, so this holds).</summary>
    UsesSequenceNumbers = 1,
    /// <summary>The command may expunge messages (EXPUNGE, CLOSE, MOVE, UID EXPUNGE).</summary>
    MayExpunge = 2,
    /// <summary>A NonExistent store error names the target mailbox: answer <c>[TRYCREATE]</c> (APPEND, COPY, MOVE).</summary>
    TryCreate = 4,
}

/// <summary>Runs one command. Writes untagged responses with <see cref="ImapSession.Writer"/>; returns the tagged
/// status. A <see cref="Letterbox.Mail.Store.MailStoreException"/> may be thrown: the session maps it.</summary>
/// <typeparam name="TCommand">The parsed command record.</typeparam>
public delegate ValueTask<CommandResult> ImapCommandHandler<in TCommand>(ImapSession session, TCommand command, CancellationToken cancellationToken)
    where TCommand : ImapCommand;

/// <summary>One row of the command table.</summary>
/// <param name="Name">The command name, as <see cref="ImapCommand.Name"/> gives it.</param>
/// <param name="AllowedStates">States the command may run in; otherwise BAD naming them.</param>
/// <param name="Flags">Pipelining and response-code flags.</param>
/// <param name="Handler">The handler, taking the base command type.</param>
public sealed record CommandEntry(
    string Name,
    SessionStates AllowedStates,
    CommandFlags Flags,
    ImapCommandHandler<ImapCommand> Handler)
{
    /// <summary>The BAD text for a command sent in the wrong state, built once.</summary>
    public string WrongStateText { get; } = $"{Name} is only valid in the {Describe(AllowedStates)} state";

    private static string Describe(SessionStates states) => states switch
    {
        SessionStates.NotAuthenticated => "not authenticated",
        SessionStates.Authenticated => "authenticated (no mailbox selected)",
        SessionStates.LoggedIn => "authenticated",
        SessionStates.Selected => "selected",
        _ => states.ToString(),
    };
}

/// <summary>
/// The command table: one line per command with its allowed states, flags and handler (Dovecot's command table,
/// RFC 9051 §6). The session looks a command up by name, checks its state, runs it, syncs the selected mailbox and
/// writes the tagged reply. See docs/adding-a-command.md.
/// </summary>
public sealed class CommandRegistry
{
    private readonly Dictionary<string, CommandEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>The table with every implemented command.</summary>
    public static CommandRegistry Default { get; } = CreateDefault();

    /// <summary>Adds (or replaces) a command.</summary>
    public CommandRegistry Add<TCommand>(string name, SessionStates allowedStates, CommandFlags flags, ImapCommandHandler<TCommand> handler)
        where TCommand : ImapCommand
    {
        _entries[name] = new CommandEntry(name, allowedStates, flags, (session, command, ct) => handler(session, (TCommand)command, ct));
        return this;
    }

    /// <summary>Finds the entry for a command name (upper case, as <see cref="ImapCommand.Name"/>).</summary>
    public bool TryGet(string name, out CommandEntry entry)
    {
        if (_entries.TryGetValue(name, out var found))
        {
            entry = found;
            return true;
        }
        entry = null!;
        return false;
    }

    private static CommandRegistry CreateDefault()
    {
        const SessionStates Any = SessionStates.Any;
        const SessionStates NotAuth = SessionStates.NotAuthenticated;
        const SessionStates Auth = SessionStates.Authenticated;
        const SessionStates LoggedIn = SessionStates.LoggedIn;
        const CommandFlags None = CommandFlags.None;

        return new CommandRegistry()
            // ---- any state (RFC 9051 §6.1) -------------------------------------------------------------------------
            .Add<CapabilityCommand>("CAPABILITY", Any, None, CapabilityHandler.HandleAsync)
            .Add<NoopCommand>("NOOP", Any, None, NoopHandler.HandleAsync)
            .Add<IdleCommand>("IDLE", SessionStates.LoggedIn, None, IdleHandler.HandleAsync)
            .Add<LogoutCommand>("LOGOUT", Any, None, LogoutHandler.HandleAsync)
            .Add<IdCommand>("ID", Any, None, IdHandler.HandleAsync)
            // ---- not authenticated (§6.2) --------------------------------------------------------------------------
            .Add<StartTlsCommand>("STARTTLS", NotAuth, None, StartTlsHandler.HandleAsync)
            .Add<LoginCommand>("LOGIN", NotAuth, None, LoginHandler.HandleAsync)
            .Add<AuthenticateCommand>("AUTHENTICATE", NotAuth, None, AuthenticateHandler.HandleAsync)
            // ---- authenticated (§6.3) ------------------------------------------------------------------------------
            .Add<EnableCommand>("ENABLE", Auth, None, EnableHandler.HandleAsync)
            .Add<NamespaceCommand>("NAMESPACE", LoggedIn, None, NamespaceHandler.HandleAsync)
            .Add<CreateCommand>("CREATE", LoggedIn, None, CreateHandler.HandleAsync)
            .Add<DeleteCommand>("DELETE", LoggedIn, None, DeleteHandler.HandleAsync)
            .Add<RenameCommand>("RENAME", LoggedIn, None, RenameHandler.HandleAsync)
            .Add<SubscribeCommand>("SUBSCRIBE", LoggedIn, None, SubscribeHandler.HandleAsync)
            .Add<UnsubscribeCommand>("UNSUBSCRIBE", LoggedIn, None, UnsubscribeHandler.HandleAsync)
            .Add<ListCommand>("LIST", LoggedIn, None, ListHandler.HandleAsync)
            .Add<LsubCommand>("LSUB", LoggedIn, None, LsubHandler.HandleAsync)
            .Add<StatusCommand>("STATUS", LoggedIn, None, StatusHandler.HandleAsync)
            .Add<NotifyCommand>("NOTIFY", LoggedIn, None, NotifyHandler.HandleAsync)
            .Add<AppendCommand>("APPEND", LoggedIn, CommandFlags.TryCreate, AppendHandler.HandleAsync)
            .Add<SelectCommand>("SELECT", LoggedIn, None, SelectHandler.HandleAsync)
            .Add<CloseCommand>("CLOSE", SessionStates.Selected, CommandFlags.MayExpunge, CloseHandler.HandleAsync)
            .Add<UnselectCommand>("UNSELECT", SessionStates.Selected, None, UnselectHandler.HandleAsync)
            .Add<CheckCommand>("CHECK", SessionStates.Selected, None, CheckHandler.HandleAsync)
            .Add<ExpungeCommand>("EXPUNGE", SessionStates.Selected, CommandFlags.MayExpunge, ExpungeHandler.HandleAsync)
            .Add<FetchCommand>("FETCH", SessionStates.Selected, CommandFlags.UsesSequenceNumbers, FetchHandler.HandleAsync)
            .Add<StoreCommand>("STORE", SessionStates.Selected, CommandFlags.UsesSequenceNumbers, StoreHandler.HandleAsync)
            .Add<SearchCommand>("SEARCH", SessionStates.Selected, CommandFlags.UsesSequenceNumbers, SearchHandler.HandleAsync)
            .Add<SortCommand>("SORT", SessionStates.Selected, CommandFlags.UsesSequenceNumbers, SortHandler.HandleAsync)
            .Add<ThreadCommand>("THREAD", SessionStates.Selected, CommandFlags.UsesSequenceNumbers, ThreadHandler.HandleAsync)
            .Add<CopyCommand>("COPY", SessionStates.Selected, CommandFlags.UsesSequenceNumbers | CommandFlags.TryCreate, CopyHandler.HandleAsync)
            .Add<MoveCommand>("MOVE", SessionStates.Selected, CommandFlags.UsesSequenceNumbers | CommandFlags.MayExpunge | CommandFlags.TryCreate, MoveHandler.HandleAsync);
            // ---- selected (§6.4): SELECT, EXAMINE, FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE, CLOSE, UNSELECT, CHECK,
            // IDLE are added here by the selected-state work, e.g.
            // .Add<FetchCommand>("FETCH", SessionStates.Selected, CommandFlags.UsesSequenceNumbers, FetchHandler.HandleAsync)
    }
}

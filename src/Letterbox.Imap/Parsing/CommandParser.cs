using Letterbox.Imap.Commands;

namespace Letterbox.Imap.Parsing;

/// <summary>Dispatches on the command name (RFC 9051 §9 <c>command</c>) to the parser next to each command record.</summary>
internal static class CommandParser
{
    /// <summary>Parses <c>SP command-name [arguments]</c> after the tag, through the end of the command.</summary>
    public static ImapCommand Command(ref ImapParser p)
    {
        p.Sp("a command name");
        var name = p.PeekAtom();
        if (name.Length == 0)
        {
            throw ImapParser.Bad("Missing command name");
        }
        if (ImapParser.EqualsIgnoreCase(name, "UID"u8))
        {
            p.AtomBytes("UID");
            p.Sp("a command after UID");
            return UidCommand(ref p);
        }
        var command = Simple(ref p);
        p.End();
        return command;
    }

    private static ImapCommand Simple(ref ImapParser p)
    {
        var name = p.AtomBytes("a command name");
        switch (name.Length)
        {
            case 2:
                if (ImapParser.EqualsIgnoreCase(name, "ID"u8)) return IdCommand.Parse(ref p);
                break;
            case 4:
                if (ImapParser.EqualsIgnoreCase(name, "NOOP"u8)) return new NoopCommand();
                if (ImapParser.EqualsIgnoreCase(name, "LIST"u8)) return ListCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "LSUB"u8)) return LsubCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "IDLE"u8)) return new IdleCommand();
                if (ImapParser.EqualsIgnoreCase(name, "COPY"u8)) return CopyCommand.Parse(ref p, uid: false);
                if (ImapParser.EqualsIgnoreCase(name, "MOVE"u8)) return MoveCommand.Parse(ref p, uid: false);
                if (ImapParser.EqualsIgnoreCase(name, "SORT"u8)) return SortCommand.Parse(ref p, uid: false);
                break;
            case 5:
                if (ImapParser.EqualsIgnoreCase(name, "LOGIN"u8)) return LoginCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "CHECK"u8)) return new CheckCommand();
                if (ImapParser.EqualsIgnoreCase(name, "CLOSE"u8)) return new CloseCommand();
                if (ImapParser.EqualsIgnoreCase(name, "FETCH"u8)) return FetchCommand.Parse(ref p, uid: false);
                if (ImapParser.EqualsIgnoreCase(name, "STORE"u8)) return StoreCommand.Parse(ref p, uid: false);
                break;
            case 6:
                if (ImapParser.EqualsIgnoreCase(name, "LOGOUT"u8)) return new LogoutCommand();
                if (ImapParser.EqualsIgnoreCase(name, "ENABLE"u8)) return EnableCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "SELECT"u8)) return SelectCommand.Parse(ref p, readOnly: false);
                if (ImapParser.EqualsIgnoreCase(name, "CREATE"u8)) return CreateCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "DELETE"u8)) return new DeleteCommand(MailboxArgument(ref p));
                if (ImapParser.EqualsIgnoreCase(name, "RENAME"u8)) return RenameCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "STATUS"u8)) return StatusCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "APPEND"u8)) return AppendCommand.Parse(ref p);
                if (ImapParser.EqualsIgnoreCase(name, "SEARCH"u8)) return SearchCommand.Parse(ref p, uid: false);
                if (ImapParser.EqualsIgnoreCase(name, "THREAD"u8)) return ThreadCommand.Parse(ref p, uid: false);
                if (ImapParser.EqualsIgnoreCase(name, "NOTIFY"u8)) return NotifyCommand.Parse(ref p);
                break;
            case 7:
                if (ImapParser.EqualsIgnoreCase(name, "EXAMINE"u8)) return SelectCommand.Parse(ref p, readOnly: true);
                if (ImapParser.EqualsIgnoreCase(name, "EXPUNGE"u8)) return new ExpungeCommand((Letterbox.Mail.Messages.SequenceSet?)null);
                break;
            case 8:
                if (ImapParser.EqualsIgnoreCase(name, "STARTTLS"u8)) return new StartTlsCommand();
                if (ImapParser.EqualsIgnoreCase(name, "UNSELECT"u8)) return new UnselectCommand();
                break;
            case 9:
                if (ImapParser.EqualsIgnoreCase(name, "NAMESPACE"u8)) return new NamespaceCommand();
                if (ImapParser.EqualsIgnoreCase(name, "SUBSCRIBE"u8)) return new SubscribeCommand(MailboxArgument(ref p));
                break;
            case 10:
                if (ImapParser.EqualsIgnoreCase(name, "CAPABILITY"u8)) return new CapabilityCommand();
                break;
            case 11:
                if (ImapParser.EqualsIgnoreCase(name, "UNSUBSCRIBE"u8)) return new UnsubscribeCommand(MailboxArgument(ref p));
                break;
            case 12:
                if (ImapParser.EqualsIgnoreCase(name, "AUTHENTICATE"u8)) return AuthenticateCommand.Parse(ref p);
                break;
        }
        throw ImapParser.Bad("Unknown command");
    }

    /// <summary><c>UID (COPY / MOVE / FETCH / SEARCH / STORE / EXPUNGE)</c> (RFC 9051 §6.4.9), <c>UID SORT</c> and
    /// <c>UID THREAD</c> (RFC 5256 §3).</summary>
    private static ImapCommand UidCommand(ref ImapParser p)
    {
        var name = p.AtomBytes("a command after UID");
        ImapCommand command;
        if (ImapParser.EqualsIgnoreCase(name, "FETCH"u8)) command = FetchCommand.Parse(ref p, uid: true);
        else if (ImapParser.EqualsIgnoreCase(name, "STORE"u8)) command = StoreCommand.Parse(ref p, uid: true);
        else if (ImapParser.EqualsIgnoreCase(name, "SEARCH"u8)) command = SearchCommand.Parse(ref p, uid: true);
        else if (ImapParser.EqualsIgnoreCase(name, "COPY"u8)) command = CopyCommand.Parse(ref p, uid: true);
        else if (ImapParser.EqualsIgnoreCase(name, "MOVE"u8)) command = MoveCommand.Parse(ref p, uid: true);
        else if (ImapParser.EqualsIgnoreCase(name, "EXPUNGE"u8)) command = ExpungeCommand.Parse(ref p);
        else if (ImapParser.EqualsIgnoreCase(name, "SORT"u8)) command = SortCommand.Parse(ref p, uid: true);
        else if (ImapParser.EqualsIgnoreCase(name, "THREAD"u8)) command = ThreadCommand.Parse(ref p, uid: true);
        else throw ImapParser.Bad("Unknown UID command: expected COPY, MOVE, FETCH, SEARCH, SORT, THREAD, STORE or EXPUNGE");
        p.End();
        return command;
    }

    /// <summary><c>SP mailbox</c>, as DELETE, SUBSCRIBE and UNSUBSCRIBE take.</summary>
    public static string MailboxArgument(ref ImapParser p)
    {
        p.Sp("a mailbox name");
        return p.Mailbox();
    }
}

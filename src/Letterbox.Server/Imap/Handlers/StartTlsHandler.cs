using Letterbox.Imap.Commands;

namespace Letterbox.Server.Imap.Handlers;

/// <summary>
/// STARTTLS (RFC 9051 §6.2.1): on a cleartext connection that can upgrade, answers <c>OK Begin TLS negotiation
/// now</c>; the connection then discards any input pipelined after the command, negotiates TLS and carries on over it
/// (the client must ask for CAPABILITY again: STARTTLS and LOGINDISABLED are gone). BAD when the connection already
/// runs over TLS or cannot upgrade (no certificate, in-process pipe); the registry answers BAD outside the
/// not-authenticated state.
/// </summary>
public static class StartTlsHandler
{
    /// <summary>Accepts the upgrade or refuses it with BAD.</summary>
    public static ValueTask<CommandResult> HandleAsync(ImapSession session, StartTlsCommand command, CancellationToken cancellationToken)
    {
        if (session.IsTls)
        {
            return ValueTask.FromResult(CommandResult.Bad("TLS is already active"));
        }
        if (!session.StartTlsAvailable)
        {
            return ValueTask.FromResult(CommandResult.Bad("STARTTLS is not available on this connection"));
        }
        session.RequestStartTls();
        return ValueTask.FromResult(CommandResult.Ok("Begin TLS negotiation now"));
    }
}

using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap;

/// <summary>The one mapping from store refusals to tagged NO responses with RFC 5530 response codes.</summary>
public static class StoreErrors
{
    /// <summary>
    /// Maps <paramref name="exception"/> to <c>NO [code] message</c>: NonExistent → NONEXISTENT (TRYCREATE when
    /// <paramref name="tryCreate"/>, for APPEND/COPY/MOVE targets, RFC 9051 §7.1), AlreadyExists → ALREADYEXISTS,
    /// Cannot/InvalidName/HasChildren → CANNOT, NoPermission → NOPERM, OverQuota → OVERQUOTA, Limit → LIMIT,
    /// Unavailable → UNAVAILABLE, NoSuchUser/UserExists → no code.
    /// </summary>
    public static CommandResult ToResult(MailStoreException exception, bool tryCreate)
    {
        var code = exception.Error switch
        {
            MailStoreError.NonExistent => tryCreate ? "TRYCREATE" : "NONEXISTENT",
            MailStoreError.AlreadyExists => "ALREADYEXISTS",
            MailStoreError.Cannot or MailStoreError.InvalidName or MailStoreError.HasChildren => "CANNOT",
            MailStoreError.NoPermission => "NOPERM",
            MailStoreError.OverQuota => "OVERQUOTA",
            MailStoreError.Limit => "LIMIT",
            MailStoreError.Unavailable => "UNAVAILABLE",
            _ => null,
        };
        return CommandResult.No(code, exception.Message);
    }
}

using Letterbox.Mail.Sorting;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>Writes <see cref="SortKeys"/> rows of the <c>sort_keys</c> table (schema migration 3). References are
/// stored space-separated (a valid id holds no white space, <see cref="MessageIds"/>), NULL when none.</summary>
internal static class SortKeyRows
{
    /// <summary>A prepared <c>INSERT OR IGNORE</c> in the scope's transaction, for <see cref="InsertAsync"/>.</summary>
    public static SqliteCommand InsertCommand(WriteScope scope)
    {
        var command = scope.Command(
            "INSERT OR IGNORE INTO sort_keys (blob_id, sent_date, subject, reply, from_key, to_key, cc_key, display_from, display_to, message_id, refs) " +
            "SELECT $blob, $sent, $subject, $reply, $from, $to, $cc, $dfrom, $dto, $mid, $refs " +
            "WHERE EXISTS (SELECT 1 FROM blobs WHERE id = $blob)"); // a blob released meanwhile (backfill) gets no row
        command.Parameters.Add("$blob", SqliteType.Integer);
        command.Parameters.Add("$sent", SqliteType.Integer);
        command.Parameters.Add("$subject", SqliteType.Text);
        command.Parameters.Add("$reply", SqliteType.Integer);
        command.Parameters.Add("$from", SqliteType.Text);
        command.Parameters.Add("$to", SqliteType.Text);
        command.Parameters.Add("$cc", SqliteType.Text);
        command.Parameters.Add("$dfrom", SqliteType.Text);
        command.Parameters.Add("$dto", SqliteType.Text);
        command.Parameters.Add("$mid", SqliteType.Text);
        command.Parameters.Add("$refs", SqliteType.Text);
        return command;
    }

    /// <summary>Inserts the keys of one blob with a command from <see cref="InsertCommand"/>.</summary>
    public static Task InsertAsync(SqliteCommand command, long blobId, SortKeys keys, CancellationToken cancellationToken)
    {
        var p = command.Parameters;
        p[0].Value = blobId;
        p[1].Value = keys.SentDate is { } sent ? sent : DBNull.Value;
        p[2].Value = keys.Subject;
        p[3].Value = keys.IsReplyOrForward ? 1 : 0;
        p[4].Value = keys.From;
        p[5].Value = keys.To;
        p[6].Value = keys.Cc;
        p[7].Value = keys.DisplayFrom;
        p[8].Value = keys.DisplayTo;
        p[9].Value = (object?)keys.MessageId ?? DBNull.Value;
        p[10].Value = keys.References.Count == 0 ? DBNull.Value : string.Join(' ', keys.References);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>A key on columns only (flags, size, INTERNALDATE, UID, MODSEQ) runs as one SQL query
    /// (<see cref="SearchSql"/>). Otherwise loads every message's metadata in one query and evaluates <paramref name="key"/> with
    /// <see cref="SearchEvaluator"/>; the cached structure is deserialized only if a key needs it, and the bytes
    /// are read only for keys that need them.</remarks>
    public async Task<IReadOnlyList<uint>> SearchAsync(long mailboxId, SearchKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (SearchSql.TryTranslate(key) is { } where)
        {
            return await SearchColumnsAsync(mailboxId, where, cancellationToken);
        }
        var candidates = new List<SearchCandidate>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            // Keys on flags, sizes, dates, UIDs and MODSEQ need no cached structure: skip the blob join (SELECT's
            // first-unseen search on 100,000 messages then reads only the narrow message rows).
            command.CommandText = NeedsStructure(key)
                ? $"SELECT {MetadataColumns} FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $id ORDER BY m.uid"
                : "SELECT m.uid, m.flags, m.keywords, m.modseq, m.internal_date, m.internal_date_offset, m.size, NULL, m.blob_id " +
                  "FROM messages m WHERE m.mailbox_id = $id ORDER BY m.uid";
            command.Parameters.AddWithValue("$id", mailboxId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (reader.Read())
            {
                var offset = TimeSpan.FromMinutes(reader.GetInt32(5));
                candidates.Add(new SearchCandidate(
                    _blobs,
                    reader.GetInt64(8),
                    (uint)reader.GetInt64(0),
                    (MessageFlags)reader.GetInt32(1),
                    reader.IsDBNull(2) ? Keywords.Empty : Keywords.Decode(reader.GetString(2)),
                    (ulong)reader.GetInt64(3),
                    DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)).ToOffset(offset),
                    reader.GetInt64(6),
                    reader.IsDBNull(7) ? null : (byte[])reader.GetValue(7)));
            }
        }
        var evaluator = new SearchEvaluator();
        var now = _time.GetUtcNow();
        var matches = new List<uint>();
        foreach (var candidate in candidates)
        {
            if (await evaluator.MatchesAsync(key, candidate, now, cancellationToken))
            {
                matches.Add(candidate.Uid);
            }
        }
        return matches;
    }

    /// <summary>Runs a search that <see cref="SearchSql"/> translated: UIDs ascending.</summary>
    private async Task<IReadOnlyList<uint>> SearchColumnsAsync(long mailboxId, string where, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT uid FROM messages WHERE mailbox_id = $id AND ({where}) ORDER BY uid";
        command.Parameters.AddWithValue("$id", mailboxId);
        var matches = new List<uint>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            matches.Add((uint)reader.GetInt64(0));
        }
        return matches;
    }

    /// <summary>True when evaluating <paramref name="key"/> may read the cached structure or the message bytes
    /// (header, body and text keys, and sent-date keys, which read the Date header from the envelope).</summary>
    private static bool NeedsStructure(SearchKey key) => key switch
    {
        HeaderKey or BodyKey or TextKey => true,
        DateKey date => date.Field == DateField.Sent,
        NotKey not => NeedsStructure(not.Key),
        OrKey or => NeedsStructure(or.Left) || NeedsStructure(or.Right),
        AndKey and => AnyNeedsStructure(and.Keys),
        _ => false,
    };

    private static bool AnyNeedsStructure(IReadOnlyList<SearchKey> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (NeedsStructure(keys[i])) return true;
        }
        return false;
    }
}

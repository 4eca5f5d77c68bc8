using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>Loads every message's metadata in one query and evaluates <paramref name="key"/> with
    /// <see cref="SearchEvaluator"/>; the cached structure is deserialized only if a key needs it, and the bytes
    /// are read only for keys that need them.</remarks>
    public async Task<IReadOnlyList<uint>> SearchAsync(long mailboxId, SearchKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var candidates = new List<SearchCandidate>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT {MetadataColumns} FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $id ORDER BY m.uid";
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
                    (byte[])reader.GetValue(7)));
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
}

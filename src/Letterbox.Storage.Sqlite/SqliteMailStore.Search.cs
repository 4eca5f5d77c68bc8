using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    /// <remarks>A key on columns only (flags, size, INTERNALDATE, UID, MODSEQ) runs as one SQL query
    /// (<see cref="SearchSql.TryTranslate"/>). Otherwise the full-text index answers
    /// (<see cref="SearchSql.TranslateWithIndex"/>, docs/storage.md): exactly in SQL for FROM/TO/CC/BCC/SUBJECT/BODY/
    /// TEXT, or as a superset whose rows <see cref="SearchEvaluator"/> then checks against the stored decoded text
    /// (no message is parsed). Messages the index does not hold (appended before the index existed and not yet
    /// rebuilt, or not indexable) are evaluated by parsing their bytes, so the index never changes an answer.</remarks>
    public async Task<IReadOnlyList<uint>> SearchAsync(long mailboxId, SearchKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (SearchSql.TryTranslate(key) is { } where)
        {
            return await SearchColumnsAsync(mailboxId, where, cancellationToken);
        }
        var now = _time.GetUtcNow();
        var needsStructure = NeedsStructure(key);
        var evaluator = new SearchEvaluator();
        if (!NeedsContent(key))
        {
            return await SearchMetadataAsync(mailboxId, key, needsStructure, evaluator, now, cancellationToken);
        }
        var query = SearchSql.TranslateWithIndex(key, now);
        var unindexed = new List<SearchCandidate>();
        var matches = new List<uint>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            // One snapshot for both queries, so a message delivered in between is in neither or in both.
            using var transaction = connection.BeginTransaction(deferred: true);
            var complete = await IsSearchIndexCompleteAsync(connection, cancellationToken);
            var structure = needsStructure ? "b.structure" : "NULL";
            var blobJoin = needsStructure ? "JOIN blobs b ON b.id = m.blob_id " : "";
            using (var command = connection.CreateCommand())
            {
                // Rows the index cannot answer: few (a partial index) once it is complete, else every row without text.
                command.CommandText = complete
                    ? $"SELECT {CandidateColumns}, {structure} FROM search_text t CROSS JOIN messages m ON m.blob_id = t.blob_id {blobJoin}" +
                      "WHERE t.headers IS NULL AND m.mailbox_id = $id"
                    : $"SELECT {CandidateColumns}, {structure} FROM messages m LEFT JOIN search_text t ON t.blob_id = m.blob_id {blobJoin}" +
                      "WHERE m.mailbox_id = $id AND t.headers IS NULL";
                command.Parameters.AddWithValue("$id", mailboxId);
                using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (reader.Read())
                {
                    unindexed.Add(ReadCandidate(reader));
                }
            }
            HashSet<uint>? skip = null;
            if (unindexed.Count > 0)
            {
                skip = new HashSet<uint>(unindexed.Count);
                foreach (var candidate in unindexed) skip.Add(candidate.Uid);
            }
            using (var command = connection.CreateCommand())
            {
                command.Parameters.AddWithValue("$id", mailboxId);
                for (var i = 0; i < query.Parameters.Count; i++)
                {
                    command.Parameters.AddWithValue("$t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), query.Parameters[i]);
                }
                if (query.Exact)
                {
                    command.CommandText = $"SELECT m.uid FROM messages m WHERE m.mailbox_id = $id AND ({query.Where}) ORDER BY m.uid";
                    using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (reader.Read())
                    {
                        var uid = (uint)reader.GetInt64(0);
                        if (skip is null || !skip.Contains(uid)) matches.Add(uid);
                    }
                }
                else
                {
                    command.CommandText = $"SELECT {CandidateColumns}, {structure}, t.headers, t.body FROM messages m JOIN search_text t ON t.blob_id = m.blob_id {blobJoin}" +
                        $"WHERE m.mailbox_id = $id AND t.headers IS NOT NULL AND ({query.Where}) ORDER BY m.uid";
                    using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (reader.Read())
                    {
                        var candidate = ReadCandidate(reader);
                        if (skip is not null && skip.Contains(candidate.Uid)) continue;
                        var document = SearchTextColumns.ToDocument(reader.GetString(9), reader.IsDBNull(10) ? "" : reader.GetString(10));
                        if (evaluator.Matches(key, candidate, document, now)) matches.Add(candidate.Uid);
                    }
                }
            }
            transaction.Commit();
        }
        if (unindexed.Count == 0)
        {
            return matches;
        }
        // Parsing is the slow path (all messages right after an upgrade, until the background indexing is done):
        // spread it over the cores; the evaluator is stateless and each candidate opens its own file.
        var matched = new bool[unindexed.Count];
        await Parallel.ForAsync(0, unindexed.Count,
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = unindexed.Count < 64 ? 1 : Environment.ProcessorCount },
            async (i, token) => matched[i] = await evaluator.MatchesAsync(key, unindexed[i], now, token));
        var fromBytes = new List<uint>();
        for (var i = 0; i < unindexed.Count; i++)
        {
            if (matched[i]) fromBytes.Add(unindexed[i].Uid);
        }
        fromBytes.Sort();
        return Merge(matches, fromBytes);
    }

    /// <summary>Keys the index cannot help with and that read no text (keywords, sent dates…): every message's
    /// metadata, evaluated in memory.</summary>
    private async Task<IReadOnlyList<uint>> SearchMetadataAsync(long mailboxId, SearchKey key, bool needsStructure, SearchEvaluator evaluator,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = new List<SearchCandidate>();
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText = needsStructure
                ? $"SELECT {CandidateColumns}, b.structure FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = $id ORDER BY m.uid"
                : $"SELECT {CandidateColumns}, NULL FROM messages m WHERE m.mailbox_id = $id ORDER BY m.uid";
            command.Parameters.AddWithValue("$id", mailboxId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (reader.Read())
            {
                candidates.Add(ReadCandidate(reader));
            }
        }
        var matches = new List<uint>();
        foreach (var candidate in candidates)
        {
            if (await evaluator.MatchesAsync(key, candidate, now, cancellationToken)) matches.Add(candidate.Uid);
        }
        return matches;
    }

    /// <summary>True when <paramref name="key"/> reads message text (HEADER/BODY/TEXT and the address/subject keys).</summary>
    private static bool NeedsContent(SearchKey key) => AnyLeaf(key, static k => k is HeaderKey or BodyKey or TextKey);

    /// <summary>True when evaluating <paramref name="key"/> reads the cached structure (sent-date keys read the
    /// Date header from the envelope).</summary>
    private static bool NeedsStructure(SearchKey key) => AnyLeaf(key, static k => k is DateKey { Field: DateField.Sent });

    /// <summary>Whether some leaf of <paramref name="key"/> (under AND/OR/NOT) satisfies <paramref name="leaf"/>.</summary>
    private static bool AnyLeaf(SearchKey key, Func<SearchKey, bool> leaf)
    {
        switch (key)
        {
            case NotKey not:
                return AnyLeaf(not.Key, leaf);
            case OrKey or:
                return AnyLeaf(or.Left, leaf) || AnyLeaf(or.Right, leaf);
            case AndKey and:
                for (var i = 0; i < and.Keys.Count; i++)
                {
                    if (AnyLeaf(and.Keys[i], leaf)) return true;
                }
                return false;
            default:
                return leaf(key);
        }
    }

    /// <summary>Columns 0–7 of a search candidate; column 8 is the structure (or NULL).</summary>
    private const string CandidateColumns =
        "m.uid, m.flags, m.keywords, m.modseq, m.internal_date, m.internal_date_offset, m.size, m.blob_id";

    private SearchCandidate ReadCandidate(SqliteDataReader reader)
    {
        var offset = TimeSpan.FromMinutes(reader.GetInt32(5));
        return new SearchCandidate(
            _blobs,
            reader.GetInt64(7),
            (uint)reader.GetInt64(0),
            (MessageFlags)reader.GetInt32(1),
            reader.IsDBNull(2) ? Keywords.Empty : Keywords.Decode(reader.GetString(2)),
            (ulong)reader.GetInt64(3),
            DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)).ToOffset(offset),
            reader.GetInt64(6),
            reader.IsDBNull(8) ? null : (byte[])reader.GetValue(8));
    }

    /// <summary>Merges two ascending UID lists (disjoint).</summary>
    private static List<uint> Merge(List<uint> a, List<uint> b)
    {
        var merged = new List<uint>(a.Count + b.Count);
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            if (j >= b.Count || (i < a.Count && a[i] < b[j])) merged.Add(a[i++]);
            else merged.Add(b[j++]);
        }
        return merged;
    }

    /// <summary>Runs a search that <see cref="SearchSql"/> translated: UIDs ascending.</summary>
    private async Task<IReadOnlyList<uint>> SearchColumnsAsync(long mailboxId, string where, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT m.uid FROM messages m WHERE m.mailbox_id = $id AND ({where}) ORDER BY m.uid";
        command.Parameters.AddWithValue("$id", mailboxId);
        var matches = new List<uint>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            matches.Add((uint)reader.GetInt64(0));
        }
        return matches;
    }
}

using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <inheritdoc/>
    public async Task<(uint[] Uids, ulong HighestModSeq)> GetUidsAsync(long mailboxId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReadAsync(cancellationToken);
        using var tx = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            "SELECT highest_modseq, (SELECT count(*) FROM messages WHERE mailbox_id = $id) FROM mailboxes WHERE id = $id; " +
            "SELECT uid FROM messages WHERE mailbox_id = $id ORDER BY uid";
        command.Parameters.AddWithValue("$id", mailboxId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new MailStoreException(MailStoreError.NonExistent, $"Mailbox {mailboxId} does not exist.");
        }
        var highest = (ulong)reader.GetInt64(0);
        var uids = new uint[reader.GetInt64(1)];
        await reader.NextResultAsync(cancellationToken);
        var count = 0;
        while (reader.Read() && count < uids.Length)
        {
            uids[count++] = (uint)reader.GetInt64(0);
        }
        return (uids, highest);
    }

    /// <inheritdoc/>
    /// <remarks>One range query per run of consecutive UIDs (<see cref="UidRuns"/>), filtered in memory against the
    /// requested UIDs, so a 100,000-UID request costs one index scan and a sparse one reads only its rows.</remarks>
    public async Task<IReadOnlyList<MessageFlagState>> GetFlagsAsync(long mailboxId, IReadOnlyList<uint> uids, ulong changedSince = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        if (uids.Count == 0)
        {
            return [];
        }
        var wanted = SortedDistinct(uids);
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // Without CHANGEDSINCE, no modseq term: the planner must walk the primary key in UID order rather than
        // the (mailbox_id, modseq) index followed by a sort.
        command.CommandText = changedSince == 0
            ? "SELECT uid, flags, keywords, modseq FROM messages WHERE mailbox_id = $id AND uid BETWEEN $low AND $high ORDER BY uid"
            : "SELECT uid, flags, keywords, modseq FROM messages " +
              "WHERE mailbox_id = $id AND uid BETWEEN $low AND $high AND modseq > $since ORDER BY uid";
        command.Parameters.AddWithValue("$id", mailboxId);
        command.Parameters.AddWithValue("$since", changedSince > long.MaxValue ? long.MaxValue : (long)changedSince);
        var result = new List<MessageFlagState>(wanted.Count);
        var keywordCache = new KeywordCache();
        await WantedRows.ReadAsync(command, wanted, (reader, uid) => result.Add(new MessageFlagState(
            uid,
            (MessageFlags)reader.GetInt32(1),
            reader.IsDBNull(2) ? Keywords.Empty : keywordCache.Decode(reader.GetString(2)),
            (ulong)reader.GetInt64(3))), cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<MessageMetadata>> GetMetadataAsync(long mailboxId, IReadOnlyList<uint> uids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        if (uids.Count == 0)
        {
            return [];
        }
        var wanted = SortedDistinct(uids);
        await using var connection = await OpenReadAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {MetadataColumns} FROM messages m JOIN blobs b ON b.id = m.blob_id " +
            "WHERE m.mailbox_id = $id AND m.uid BETWEEN $low AND $high ORDER BY m.uid";
        command.Parameters.AddWithValue("$id", mailboxId);
        var result = new List<MessageMetadata>(Math.Min(wanted.Count, 4096));
        await WantedRows.ReadAsync(command, wanted, (reader, _) => result.Add(ReadMetadata(reader)), cancellationToken);
        return result;
    }

    /// <inheritdoc/>
    public async Task<Stream?> OpenMessageAsync(long mailboxId, uint uid, CancellationToken cancellationToken = default)
    {
        long blobId;
        await using (var connection = await OpenReadAsync(cancellationToken))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT blob_id FROM messages WHERE mailbox_id = $id AND uid = $uid";
            command.Parameters.AddWithValue("$id", mailboxId);
            command.Parameters.AddWithValue("$uid", (long)uid);
            if (await command.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return null;
            }
            blobId = id;
        }
        return _blobs.OpenRead(blobId);
    }

    /// <inheritdoc/>
    public Task<IMessageStager> StageAsync(long maxLength, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IMessageStager>(new MessageStager(_blobs.NewTempPath(), maxLength));
    }

    private const string MetadataColumns =
        "m.uid, m.flags, m.keywords, m.modseq, m.internal_date, m.internal_date_offset, m.size, b.structure, m.blob_id";

    private static MessageMetadata ReadMetadata(SqliteDataReader reader)
    {
        var offset = TimeSpan.FromMinutes(reader.GetInt32(5));
        var date = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)).ToOffset(offset);
        var structure = MessageStructureSerializer.Deserialize((byte[])reader.GetValue(7));
        return new MessageMetadata(
            (uint)reader.GetInt64(0),
            (MessageFlags)reader.GetInt32(1),
            reader.IsDBNull(2) ? Keywords.Empty : Keywords.Decode(reader.GetString(2)),
            (ulong)reader.GetInt64(3),
            date,
            reader.GetInt64(6),
            structure);
    }

    /// <summary>The UIDs ascending without duplicates; returns the input itself when it already is.</summary>
    private static IReadOnlyList<uint> SortedDistinct(IReadOnlyList<uint> uids)
    {
        var sorted = true;
        for (var i = 1; i < uids.Count; i++)
        {
            if (uids[i] <= uids[i - 1])
            {
                sorted = false;
                break;
            }
        }
        if (sorted)
        {
            return uids;
        }
        var copy = new uint[uids.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = uids[i];
        }
        Array.Sort(copy);
        var n = 0;
        for (var i = 0; i < copy.Length; i++)
        {
            if (n == 0 || copy[i] != copy[n - 1])
            {
                copy[n++] = copy[i];
            }
        }
        return n == copy.Length ? copy : copy[..n];
    }
}

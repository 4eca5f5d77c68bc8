namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    /// <summary>
    /// Deletes the message rows matching <paramref name="messageFilter"/> (SQL over <c>messages</c>, may use
    /// <c>$owner</c> = <paramref name="owner"/>), decrements their blobs' reference counts and deletes blob rows
    /// that reach zero. Returns the dead blob ids, whose files the caller deletes after commit.
    /// </summary>
    private static async Task<List<long>> ReleaseBlobsAsync(WriteScope scope, string messageFilter, long owner, CancellationToken cancellationToken)
    {
        using (var collect = scope.Command(
            "DELETE FROM temp.released; " +
            $"INSERT INTO temp.released (blob_id, n) SELECT blob_id, count(*) FROM messages WHERE {messageFilter} GROUP BY blob_id; " +
            "UPDATE blobs SET ref_count = ref_count - (SELECT n FROM temp.released r WHERE r.blob_id = blobs.id) " +
            "WHERE id IN (SELECT blob_id FROM temp.released); " +
            $"DELETE FROM messages WHERE {messageFilter};"))
        {
            collect.Parameters.AddWithValue("$owner", owner);
            await collect.ExecuteNonQueryAsync(cancellationToken);
        }
        var dead = new List<long>();
        using (var delete = scope.Command(
            "DELETE FROM blobs WHERE id IN (SELECT blob_id FROM temp.released) AND ref_count <= 0 RETURNING id"))
        {
            using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                dead.Add(reader.GetInt64(0));
            }
        }
        return dead;
    }

    /// <summary>Deletes the files of blobs whose rows were deleted by a committed transaction. A failure leaves an
    /// orphan file, which wastes space but is never visible.</summary>
    private void DeleteBlobFiles(List<long> blobIds)
    {
        foreach (var id in blobIds)
        {
            BlobFiles.TryDelete(_blobs.PathOf(id));
        }
    }
}

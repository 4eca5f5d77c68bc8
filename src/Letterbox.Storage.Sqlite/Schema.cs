using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// The database schema as an ordered list of migrations. <c>schema_version</c> holds the number of migrations
/// applied; opening a store applies the missing ones in one transaction each. Append new migrations, never edit
/// an applied one.
/// </summary>
internal static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: initial schema.
        """
        CREATE TABLE store_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            password_hash TEXT NOT NULL);
        CREATE TABLE mailboxes (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            uid_validity INTEGER NOT NULL,
            uid_next INTEGER NOT NULL,
            highest_modseq INTEGER NOT NULL,
            special_use INTEGER NOT NULL DEFAULT 0,
            UNIQUE (user_id, name));
        CREATE TABLE subscriptions (
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            PRIMARY KEY (user_id, name)) WITHOUT ROWID;
        CREATE TABLE blobs (
            id INTEGER PRIMARY KEY,
            size INTEGER NOT NULL,
            structure BLOB NOT NULL,
            ref_count INTEGER NOT NULL);
        CREATE TABLE messages (
            mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
            uid INTEGER NOT NULL,
            blob_id INTEGER NOT NULL REFERENCES blobs(id),
            flags INTEGER NOT NULL,
            keywords TEXT NULL,
            modseq INTEGER NOT NULL,
            append_modseq INTEGER NOT NULL,
            internal_date INTEGER NOT NULL,
            internal_date_offset INTEGER NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (mailbox_id, uid)) WITHOUT ROWID;
        CREATE INDEX messages_modseq ON messages (mailbox_id, modseq);
        CREATE INDEX messages_blob ON messages (blob_id);
        CREATE TABLE expunged (
            mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
            uid INTEGER NOT NULL,
            modseq INTEGER NOT NULL,
            PRIMARY KEY (mailbox_id, uid)) WITHOUT ROWID;
        CREATE INDEX expunged_modseq ON expunged (mailbox_id, modseq);
        """,
        // 2: SCRAM-SHA-256 secrets (RFC 5802 §3, RFC 7677), ScramSecret's stored form; NULL when none was set.
        """
        ALTER TABLE users ADD COLUMN scram_sha256 TEXT NULL;
        """,
        // 3: SORT/THREAD keys per blob (RFC 5256; COPY shares blobs, so copies share keys), written at delivery.
        // Blobs stored before this migration have no row: SqliteMailStore.GetSortKeysAsync computes and adds it.
        """
        CREATE TABLE sort_keys (
            blob_id INTEGER PRIMARY KEY REFERENCES blobs(id) ON DELETE CASCADE,
            sent_date INTEGER NULL,
            subject TEXT NOT NULL,
            reply INTEGER NOT NULL,
            from_key TEXT NOT NULL,
            to_key TEXT NOT NULL,
            cc_key TEXT NOT NULL,
            display_from TEXT NOT NULL,
            display_to TEXT NOT NULL,
            message_id TEXT NULL,
            refs TEXT NULL);
        """,
        // 4: full-text search index (SqliteMailStore.SearchIndex.cs, docs/storage.md): each blob's folded,
        // decoded search text (headers NULL: not indexable, searched by parsing), two FTS5 trigram indexes over it
        // (external content, kept in step by triggers), removed with its blob. 'search_index_complete' is set
        // once every blob has a row (a new store at once; an existing one after `letterbox index rebuild`).
        """
        CREATE TABLE search_text (
            blob_id INTEGER PRIMARY KEY,
            from_ TEXT NULL, to_ TEXT NULL, cc TEXT NULL, bcc TEXT NULL, subject TEXT NULL,
            headers TEXT NULL,
            body TEXT NULL);
        CREATE INDEX search_text_unindexed ON search_text (blob_id) WHERE headers IS NULL;
        CREATE VIRTUAL TABLE search_fields USING fts5(from_, to_, cc, bcc, subject,
            content='search_text', content_rowid='blob_id', tokenize='trigram case_sensitive 1');
        CREATE VIRTUAL TABLE search_texts USING fts5(headers, body,
            content='search_text', content_rowid='blob_id', tokenize='trigram case_sensitive 1');
        CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
            INSERT INTO search_fields (rowid, from_, to_, cc, bcc, subject) VALUES (new.blob_id, new.from_, new.to_, new.cc, new.bcc, new.subject);
            INSERT INTO search_texts (rowid, headers, body) VALUES (new.blob_id, new.headers, new.body);
        END;
        CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
            INSERT INTO search_fields (search_fields, rowid, from_, to_, cc, bcc, subject) VALUES ('delete', old.blob_id, old.from_, old.to_, old.cc, old.bcc, old.subject);
            INSERT INTO search_texts (search_texts, rowid, headers, body) VALUES ('delete', old.blob_id, old.headers, old.body);
        END;
        CREATE TRIGGER blobs_search_text_removed AFTER DELETE ON blobs BEGIN
            DELETE FROM search_text WHERE blob_id = old.id;
        END;
        INSERT INTO store_state (key, value) SELECT 'search_index_complete', 1 WHERE NOT EXISTS (SELECT 1 FROM blobs);
        """,
        // 5: SORT/THREAD keys are computed differently (issue 6 conformance: UTF-7 and code page encoded words
        // decoded, lower-case obs-zone names in Date): stored keys are dropped and backfilled on the first SORT/THREAD
        // (SqliteMailStore.GetSortKeysAsync), as for blobs stored before migration 3.
        """
        DELETE FROM sort_keys;
        """,
        // 6: a smaller full-text index (docs/storage.md "Full-text search index"). search_text gets a dense rowid
        // `id` for the FTS5 tables (blob ids are random 63-bit numbers: every posting took ~7 bytes), and the FTS5
        // tables keep no positions (search_fields: detail=column, search_texts: detail=none): a needle's trigrams
        // give candidates, instr() over the stored text decides (SearchSql.AppendText). The index is rebuilt here
        // from the stored text (no message is parsed; rows and 'search_index_complete' are kept): 76 s user CPU,
        // 5.6 min wall on a loaded 2-core machine for 100,000 messages.
        """
        DROP TRIGGER search_text_added;
        DROP TRIGGER search_text_removed;
        DROP TRIGGER blobs_search_text_removed;
        DROP TABLE search_fields;
        DROP TABLE search_texts;
        ALTER TABLE search_text RENAME TO search_text_v4;
        CREATE TABLE search_text (
            id INTEGER PRIMARY KEY,
            blob_id INTEGER NOT NULL UNIQUE,
            from_ TEXT NULL, to_ TEXT NULL, cc TEXT NULL, bcc TEXT NULL, subject TEXT NULL,
            headers TEXT NULL,
            body TEXT NULL);
        INSERT INTO search_text (blob_id, from_, to_, cc, bcc, subject, headers, body)
            SELECT blob_id, from_, to_, cc, bcc, subject, headers, body FROM search_text_v4 ORDER BY blob_id;
        DROP TABLE search_text_v4;
        CREATE INDEX search_text_unindexed ON search_text (blob_id) WHERE headers IS NULL;
        CREATE VIRTUAL TABLE search_fields USING fts5(from_, to_, cc, bcc, subject,
            content='search_text', content_rowid='id', tokenize='trigram case_sensitive 1', detail=column);
        CREATE VIRTUAL TABLE search_texts USING fts5(headers, body,
            content='search_text', content_rowid='id', tokenize='trigram case_sensitive 1', detail=none);
        INSERT INTO search_fields (search_fields) VALUES ('rebuild');
        INSERT INTO search_texts (search_texts) VALUES ('rebuild');
        CREATE TRIGGER search_text_added AFTER INSERT ON search_text BEGIN
            INSERT INTO search_fields (rowid, from_, to_, cc, bcc, subject) VALUES (new.id, new.from_, new.to_, new.cc, new.bcc, new.subject);
            INSERT INTO search_texts (rowid, headers, body) VALUES (new.id, new.headers, new.body);
        END;
        CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
            INSERT INTO search_fields (search_fields, rowid, from_, to_, cc, bcc, subject) VALUES ('delete', old.id, old.from_, old.to_, old.cc, old.bcc, old.subject);
            INSERT INTO search_texts (search_texts, rowid, headers, body) VALUES ('delete', old.id, old.headers, old.body);
        END;
        CREATE TRIGGER blobs_search_text_removed AFTER DELETE ON blobs BEGIN
            DELETE FROM search_text WHERE blob_id = old.id;
        END;
        """,
        // 7: search text format 2 (docs/storage.md "Full-text search index"): `headers` holds the message's own
        // fields, then U+001D and the MIME header texts (MIME parts' and encapsulated messages' fields: TEXT only);
        // `body` only the text of text/* and terminal message/* parts (delivery-status…), UTF-7 decoded, as are UTF-7
        // encoded words. Rows written before it lack the MIME part headers and the message's own Content-* fields
        // (TEXT/HEADER must see both), keep MIME part headers in `body` (BODY must not match them), lack terminal
        // message/* parts and hold UTF-7 undecoded (RFC 9051 §6.4.4), and no row says which format wrote it, so
        // every row goes: stale rows would make SEARCH miss matches, rows that are missing only make it slower
        // (messages without a row are parsed). 'search_index_complete' is cleared unless the store had no rows;
        // `letterbox serve` re-indexes in the background at start (SqliteMailStore.IndexMissingSearchTextAsync),
        // as does `letterbox index rebuild`. FTS5 'delete-all' empties both indexes at once (the per-row delete
        // trigger would re-tokenise every row), so that trigger is set aside meanwhile.
        """
        DELETE FROM store_state WHERE key = 'search_index_complete' AND EXISTS (SELECT 1 FROM search_text);
        DROP TRIGGER search_text_removed;
        DELETE FROM search_text;
        INSERT INTO search_fields (search_fields) VALUES ('delete-all');
        INSERT INTO search_texts (search_texts) VALUES ('delete-all');
        CREATE TRIGGER search_text_removed AFTER DELETE ON search_text BEGIN
            INSERT INTO search_fields (search_fields, rowid, from_, to_, cc, bcc, subject) VALUES ('delete', old.id, old.from_, old.to_, old.cc, old.bcc, old.subject);
            INSERT INTO search_texts (search_texts, rowid, headers, body) VALUES ('delete', old.id, old.headers, old.body);
        END;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Creates <c>schema_version</c> if needed and applies missing migrations. Throws
    /// <see cref="InvalidOperationException"/> if the database is newer than this build.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        while (true)
        {
            using var tx = connection.BeginTransaction();
            long version;
            using (var read = connection.CreateCommand())
            {
                read.Transaction = tx;
                read.CommandText = "SELECT version FROM schema_version";
                version = await read.ExecuteScalarAsync(cancellationToken) is long v ? v : 0;
            }
            if (version > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"letterbox.db has schema version {version} but this build knows only {Migrations.Length}; upgrade Letterbox.");
            }
            if (version == Migrations.Length)
            {
                tx.Commit();
                return;
            }
            using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = tx;
                migrate.CommandText = Migrations[version];
                await migrate.ExecuteNonQueryAsync(cancellationToken);
            }
            using (var write = connection.CreateCommand())
            {
                write.Transaction = tx;
                write.CommandText = version == 0
                    ? "INSERT INTO schema_version (version) VALUES ($v)"
                    : "UPDATE schema_version SET version = $v";
                write.Parameters.AddWithValue("$v", version + 1);
                await write.ExecuteNonQueryAsync(cancellationToken);
            }
            tx.Commit();
        }
    }
}

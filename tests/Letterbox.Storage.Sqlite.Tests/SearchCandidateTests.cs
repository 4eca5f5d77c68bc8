using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;
using Microsoft.Data.Sqlite;

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary>
/// The trigram index keeps no positions (schema migration 6): a needle's trigrams only give candidates and the stored
/// text decides. RFC 9051 §6.4.4: HEADER/BODY/TEXT match a case-insensitive substring of one field's value or of the
/// body text — never text glued together from two fields, two columns, two body parts, or trigrams found apart. Each
/// case is checked by hand and against <see cref="SearchEvaluator"/> over the raw message.
/// </summary>
public sealed class SearchCandidateTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-tests", Guid.NewGuid().ToString("N"));
    private SqliteMailStore _store = null!;
    private long _inbox;
    private readonly List<byte[]> _messages = [];

    /// <summary>UID 1: trigrams of "ABCD" in From (and To) but not together; "ABC…BCD" apart in the body;
    /// "XYZ" ending one body part and "ZW" starting the next; a header value ending where the body starts.</summary>
    private const string Apart =
        "From: Quux ABCx <xxBCD@example.com>\r\nTo: BCDyy@example.com\r\nSubject: =?UTF-8?B?w6l0w6kgZGFucyBsZSBqYXJkaW4=?=\r\n" +
        "X-Note: LMN\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMNO start ABCxBCD then XYZ\r\n" +
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZW and AAAAA and 日本語テキスト and \"Q\" a*b NEAR( 😀ab\r\n--b--\r\n";

    /// <summary>UID 2: the glued-together texts of UID 1, each within one field or one part.</summary>
    private const string Together =
        "From: ABCD <abcd@example.com>\r\nTo: other@example.com\r\nSubject: plain\r\nX-Note: LMNO\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nXYZW and AAAAAA\r\n";

    public async Task InitializeAsync()
    {
        _store = await SqliteMailStore.OpenAsync(_directory);
        var user = await _store.AddUserAsync("candidates@example.com", "x");
        _inbox = (await _store.GetMailboxAsync(user.Id, "INBOX"))!.Id;
        foreach (var text in new[] { Apart, Together })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            _messages.Add(bytes);
            await using var stager = await _store.StageAsync(1 << 20);
            await stager.WriteAsync(bytes);
            await _store.AppendAsync(_inbox, [new AppendRequest(await stager.CompleteAsync(), MessageFlags.None, [], null)]);
        }
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<string, string, uint[]> Cases => new()
    {
        // Needles of 4+ code points whose trigrams are in the message, but not in one piece of one column.
        { "FROM", "ABCD", [2] },             // "ABC" and "BCD" apart in the From of 1 (and "BCD" in its To)
        { "TO", "ABCD", [] },
        { "TEXT", "ABCD", [2] },
        { "BODY", "ABCBCD", [] },            // both trigram runs in the body of 1, apart
        { "BODY", "ABCXBCD", [1] },
        { "BODY", "XYZW", [2] },             // "XYZ" ends part 1 of UID 1, "ZW" starts part 2
        { "TEXT", "LMNO", [2] },             // X-Note "LMN" and body "MNO…" of UID 1
        { "HEADER X-Note", "LMNO", [2] },
        { "BODY", "AAAAAA", [2] },           // one distinct trigram, 5 A's in UID 1, 6 in UID 2
        { "BODY", "AAAAA", [1, 2] },
        // 1, 2, 3 code points (1–2: no trigram, a scan of the stored text).
        { "BODY", "z", [1, 2] },
        { "BODY", "zw", [1, 2] },
        { "BODY", "zwa", [] },
        { "SUBJECT", "é", [1] },
        { "SUBJECT", "ÉT", [1] },
        { "SUBJECT", "été", [1] },
        { "SUBJECT", "ÉTÉ DANS", [1] },
        // Non-ASCII and surrogate pairs: 😀ab is 3 code points in 4 UTF-16 units.
        { "BODY", "😀AB", [1] },
        { "BODY", "😀A", [1] },
        { "BODY", "😀ABC", [] },
        { "TEXT", "本語テキ", [1] },
        { "TEXT", "日本語テキストX", [] },
        // FTS5 syntax inside the needle is text.
        { "BODY", "\"Q\"", [1] },
        { "BODY", "A*B", [1] },
        { "BODY", "NEAR(", [1] },
        { "TEXT", "{from_}", [] },
        { "FROM", "abcx <", [1] },
        { "FROM", "quux abcx <xxbcd@", [1] },
        // Search text format 2: MIME part header fields are TEXT's only ("including MIME header fields"); BODY
        // "doesn't match any header fields" and HEADER is the message's own fields (RFC 9051 §6.4.4). UID 1's parts
        // say "charset=utf-8", UID 2's own Content-Type does.
        { "BODY", "charset=utf-8", [] },
        { "TEXT", "charset=utf-8", [1, 2] },
        { "TEXT", "content-type: text/plain; charset=utf-8", [1] },
        { "HEADER Content-Type", "charset", [2] },
        { "HEADER Content-Type", "text/plain", [2] },
        { "HEADER ", "charset", [] },
        { "HEADER ", "", [] },
        { "TEXT", "\"B\"CONTENT-TYPE", [] },   // UID 1's last field glued to its first MIME header text
        { "TEXT", "UTF-8CONTENT-TYPE", [] },   // two MIME header texts glued
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_needle_matches_only_within_one_piece_of_one_column(string field, string needle, uint[] expected)
    {
        SearchKey key = field switch
        {
            "BODY" => new BodyKey(needle),
            "TEXT" => new TextKey(needle),
            _ when field.StartsWith("HEADER ", StringComparison.Ordinal) => new HeaderKey(field[7..], needle),
            _ => new HeaderKey(field, needle),
        };
        Assert.Equal(expected, await EvaluatorAsync(key));
        Assert.Equal(expected, await _store.SearchAsync(_inbox, key));
        var others = Enumerable.Range(1, _messages.Count).Select(i => (uint)i).Except(expected).ToArray();
        Assert.Equal(others, await _store.SearchAsync(_inbox, new NotKey(key)));
    }

    [Fact]
    public async Task The_index_keeps_no_positions_and_is_keyed_by_a_dense_id()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "letterbox.db")};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(sql, ';') FROM sqlite_schema WHERE name IN ('search_fields', 'search_texts')";
        var sql = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(1, sql.Split("detail=none").Length - 1);
        Assert.Equal(1, sql.Split("detail=column").Length - 1);
        Assert.Contains("content_rowid='id'", sql, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync("SELECT min(id) FROM search_text"));
        Assert.Equal(2L, await ScalarAsync("SELECT max(id) FROM search_text"));
    }

    /// <summary>The index of schema versions 4 and 5: search_text keyed by blob id, FTS5 with positions.</summary>
    private const string Version5 =
        """
        DROP TRIGGER search_text_added; DROP TRIGGER search_text_removed; DROP TRIGGER blobs_search_text_removed;
        DROP TABLE search_fields; DROP TABLE search_texts;
        ALTER TABLE search_text RENAME TO search_text_v5;
        CREATE TABLE search_text (
            blob_id INTEGER PRIMARY KEY,
            from_ TEXT NULL, to_ TEXT NULL, cc TEXT NULL, bcc TEXT NULL, subject TEXT NULL, headers TEXT NULL, body TEXT NULL);
        INSERT INTO search_text SELECT blob_id, from_, to_, cc, bcc, subject, headers, body FROM search_text_v5;
        DROP TABLE search_text_v5;
        CREATE INDEX search_text_unindexed ON search_text (blob_id) WHERE headers IS NULL;
        CREATE VIRTUAL TABLE search_fields USING fts5(from_, to_, cc, bcc, subject,
            content='search_text', content_rowid='blob_id', tokenize='trigram case_sensitive 1');
        CREATE VIRTUAL TABLE search_texts USING fts5(headers, body,
            content='search_text', content_rowid='blob_id', tokenize='trigram case_sensitive 1');
        INSERT INTO search_fields (search_fields) VALUES ('rebuild');
        INSERT INTO search_texts (search_texts) VALUES ('rebuild');
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
        UPDATE schema_version SET version = 5;
        """;

    /// <summary>Migration 6 converts a version 5 store; migration 7 then drops every row of the older text format
    /// (stale rows would miss MIME part headers): SEARCH stays exact meanwhile by parsing, and
    /// <see cref="SqliteMailStore.IndexMissingSearchTextAsync"/> (run by the server at start) indexes them again.</summary>
    [Fact]
    public async Task Migrations_6_and_7_convert_a_version_5_store_and_its_messages_are_indexed_again()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        await ExecuteAsync(Version5);
        Assert.Equal(5L, await ScalarAsync("SELECT version FROM schema_version"));
        // Version 5 answered phrases (positions kept); version 6 keeps no positions.
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM search_texts WHERE search_texts MATCH '\"ABCXBCD\"'"));

        _store = await SqliteMailStore.OpenAsync(_directory);
        Assert.Equal(7L, await ScalarAsync("SELECT version FROM schema_version"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM search_text"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM store_state WHERE key = 'search_index_complete'"));
        await ExecuteAsync("INSERT INTO search_texts (search_texts) VALUES ('integrity-check'); INSERT INTO search_fields (search_fields) VALUES ('integrity-check');");
        foreach (var row in Cases)
        {
            await A_needle_matches_only_within_one_piece_of_one_column((string)row[0], (string)row[1], (uint[])row[2]);
        }

        Assert.Equal(new SearchIndexProgress(2, 2, 0), await _store.IndexMissingSearchTextAsync());
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM search_text WHERE headers IS NOT NULL"));
        Assert.Equal(1L, await ScalarAsync("SELECT value FROM store_state WHERE key = 'search_index_complete'"));
        Assert.Equal(new SearchIndexProgress(0, 0, 0), await _store.IndexMissingSearchTextAsync());
        await ExecuteAsync("INSERT INTO search_texts (search_texts) VALUES ('integrity-check'); INSERT INTO search_fields (search_fields) VALUES ('integrity-check');");
        foreach (var row in Cases)
        {
            await A_needle_matches_only_within_one_piece_of_one_column((string)row[0], (string)row[1], (uint[])row[2]);
        }
        // Delivery and expunge after the migration keep the index in step (integrity-check reads every entry).
        await using (var stager = await _store.StageAsync(1 << 20))
        {
            await stager.WriteAsync(Encoding.UTF8.GetBytes("From: late@example.com\r\nSubject: ABCD\r\n\r\nXYZW\r\n"));
            await _store.AppendAsync(_inbox, [new AppendRequest(await stager.CompleteAsync(), MessageFlags.None, [], null)]);
        }
        await _store.StoreFlagsAsync(_inbox, [1], FlagOperation.Add, MessageFlags.Deleted, []);
        await _store.ExpungeAsync(_inbox);
        await ExecuteAsync("INSERT INTO search_texts (search_texts) VALUES ('integrity-check'); INSERT INTO search_fields (search_fields) VALUES ('integrity-check');");
        Assert.Equal([2u, 3u], await _store.SearchAsync(_inbox, new BodyKey("xyzw")));
        Assert.Equal([3u], await _store.SearchAsync(_inbox, new HeaderKey("Subject", "abcd")));
    }

    private Task ExecuteAsync(string sql) => StoreDatabase.ExecuteAsync(_directory, sql);

    private Task<long> ScalarAsync(string sql) => StoreDatabase.ScalarAsync(_directory, sql);

    private async Task<uint[]> EvaluatorAsync(SearchKey key)
    {
        var evaluator = new SearchEvaluator();
        var matches = new List<uint>();
        for (var i = 0; i < _messages.Count; i++)
        {
            if (await evaluator.MatchesAsync(key, new RawCandidate((uint)(i + 1), _messages[i]), DateTimeOffset.UnixEpoch)) matches.Add((uint)(i + 1));
        }
        return [.. matches];
    }

    private sealed class RawCandidate(uint uid, byte[] bytes) : ISearchCandidate
    {
        public uint Uid => uid;
        public MessageFlags Flags => MessageFlags.None;
        public IReadOnlyList<string> Keywords => [];
        public ulong ModSeq => 1;
        public DateTimeOffset InternalDate => DateTimeOffset.UnixEpoch;
        public long Size => bytes.Length;
        public MessageStructure Structure => MessageAnalyzer.Analyze(new MemoryStream(bytes));
        public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false));
    }
}

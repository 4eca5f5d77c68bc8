using System.IO.Pipelines;
using System.Text;
using Letterbox.Mail.Users;
using Letterbox.Server.Imap;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server.Tests.Imap;

public sealed class BatchingTests
{
    /// <summary>Counts flushes of the wrapped writer.</summary>
    private sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
    {
        public int Flushes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Flushes);
            return inner.FlushAsync(cancellationToken);
        }
    }

    [Fact]
    public async Task Pipelined_batch_is_flushed_once()
    {
        var directory = Path.Combine(Path.GetTempPath(), "letterbox-server-tests", Guid.NewGuid().ToString("N"));
        await using var store = await SqliteMailStore.OpenAsync(directory);
        await store.AddUserAsync("alice", PasswordHasher.Hash("secret", 1000));
        var toServer = new Pipe();
        var toClient = new Pipe();
        var counting = new CountingPipeWriter(toClient.Writer);
        var connection = new ImapConnection(new DuplexPipe(toServer.Reader, counting), store, new ImapServerOptions(), NullLogger.Instance);

        await toServer.Writer.WriteAsync(Encoding.ASCII.GetBytes("a NOOP\r\nb LOGIN alice secret\r\nc LIST \"\" INBOX\r\nd NOOP\r\n"));
        var run = connection.RunAsync(CancellationToken.None);

        var text = new StringBuilder();
        while (!text.ToString().Contains("d OK NOOP completed\r\n", StringComparison.Ordinal))
        {
            var result = await toClient.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            foreach (var segment in result.Buffer)
            {
                text.Append(Encoding.UTF8.GetString(segment.Span));
            }
            toClient.Reader.AdvanceTo(result.Buffer.End);
        }
        Assert.Equal(2, Volatile.Read(ref counting.Flushes)); // the greeting, then the whole batch
        Assert.Matches("^\\* OK .*\r\na OK .*\r\nb OK .*\r\n\\* LIST .*\r\nc OK .*\r\nd OK NOOP completed\r\n$", text.ToString());

        await toServer.Writer.CompleteAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
        Directory.Delete(directory, true);
    }

    [Fact]
    public async Task Malformed_commands_are_bad_and_the_session_continues()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.StartsWith("a1 BAD ", await s.CommandAsync("a1", "LOGIN"), StringComparison.Ordinal);
        Assert.StartsWith("a2 BAD ", await s.CommandAsync("a2", "LOGIN \"unterminated"), StringComparison.Ordinal);
        await s.SendAsync("\r\n");
        Assert.Equal("a3 OK NOOP completed\r\n", await s.CommandAsync("a3", "NOOP"));
    }

    [Fact]
    public async Task Overlong_line_is_answered_and_connection_survives_or_closes_cleanly()
    {
        await using var s = await ImapTestSession.StartAsync(new ImapServerOptions
        {
            LoginFailureDelay = TimeSpan.Zero,
            Limits = new Letterbox.Imap.Parsing.ImapLimits { MaxLineLength = 200 },
        });
        await s.SendAsync("a1 NOOP " + new string('x', 1000) + "\r\n");
        var line = await s.ReadLineAsync();
        Assert.NotNull(line);
        Assert.Matches("^(a1|\\*) (BAD|BYE) ", line);
    }
}

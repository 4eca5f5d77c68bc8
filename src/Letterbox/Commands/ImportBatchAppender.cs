using System.Buffers;
using System.Collections.Concurrent;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Commands;

/// <summary>
/// Appends many messages to one mailbox quickly, through the ordinary store contract: each message is streamed into
/// the store's staging area (<see cref="IMailStore.StageAsync"/>, which fsyncs it), and every <see cref="BatchSize"/>
/// staged messages go to the mailbox in one <see cref="IMailStore.AppendAsync"/> call — one transaction, one MODSEQ.
/// Used by <c>letterbox import</c> and by the benchmark's mailbox generator, so both measure the same path.
/// </summary>
/// <remarks>
/// Speed comes from overlap, not from skipping durability: up to <see cref="StagingConcurrency"/> messages are staged
/// at once (their fsyncs share the file system's journal commits — one at a time, an fsync costs a disk flush), and
/// batch <c>k</c> is appended while batch <c>k+1</c> is being staged. Appends run one at a time in batch order, so
/// UIDs follow the order of <see cref="AddAsync"/> calls. Each staging task blocks a thread-pool thread in fsync:
/// raise the pool's minimum (<see cref="ThreadPool.SetMinThreads"/>) to at least the concurrency, as the CLI does.
/// Not thread-safe: one caller adds messages.
/// </remarks>
public sealed class ImportBatchAppender : IAsyncDisposable
{
    /// <summary>Default number of messages per append transaction.</summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>Default number of messages staged at once.</summary>
    public const int DefaultStagingConcurrency = 32;

    /// <summary>Default largest message accepted, in bytes (after CRLF normalisation): 64 MiB.</summary>
    public const long DefaultMaxMessageLength = 64L * 1024 * 1024;

    private readonly IMailStore _store;
    private readonly long _mailboxId;
    private readonly long _maxMessageLength;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentQueue<ImportSkip> _skipped = new();
    private readonly List<Task> _staging = [];
    private AppendRequest?[] _batch;
    private int _batchCount;
    private Task _appending = Task.CompletedTask;
    private long _appended;
    private long _stagingTicks;
    private long _appendTicks;

    /// <summary>Creates an appender for the mailbox <paramref name="mailboxId"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="mailboxId">Target mailbox.</param>
    /// <param name="batchSize">Messages per append transaction (1 or more).</param>
    /// <param name="stagingConcurrency">Messages staged at once (1 or more).</param>
    /// <param name="maxMessageLength">Largest message in bytes; a larger one is skipped (see <see cref="Skipped"/>).</param>
    public ImportBatchAppender(IMailStore store, long mailboxId, int batchSize = DefaultBatchSize, int stagingConcurrency = DefaultStagingConcurrency, long maxMessageLength = DefaultMaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stagingConcurrency, 1);
        _store = store;
        _mailboxId = mailboxId;
        _maxMessageLength = maxMessageLength;
        _slots = new SemaphoreSlim(stagingConcurrency, stagingConcurrency);
        BatchSize = batchSize;
        StagingConcurrency = stagingConcurrency;
        _batch = new AppendRequest?[batchSize];
    }

    /// <summary>Messages per append transaction.</summary>
    public int BatchSize { get; }

    /// <summary>Messages staged at once.</summary>
    public int StagingConcurrency { get; }

    /// <summary>Messages committed to the mailbox so far (complete after <see cref="FlushAsync"/>).</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Messages that could not be staged (over the size limit, unreadable), with the reason. Complete after
    /// <see cref="FlushAsync"/>.</summary>
    public IReadOnlyCollection<ImportSkip> Skipped => _skipped;

    /// <summary>Wall time spent inside <see cref="IMailStore.AppendAsync"/> (for benchmarks).</summary>
    public TimeSpan AppendTime => TimeSpan.FromTicks(Interlocked.Read(ref _appendTicks));

    /// <summary>Sum over messages of the time each spent being staged, including fsync (for benchmarks; it exceeds
    /// wall time when stagings overlap).</summary>
    public TimeSpan StagingTime => TimeSpan.FromTicks(Interlocked.Read(ref _stagingTicks));

    /// <summary>
    /// Queues one message: waits for a free staging slot, then stages it in the background; when the batch is full,
    /// waits for the previous batch's append and starts this one's. A message that cannot be staged (too large, an
    /// I/O error while reading it) is added to <see cref="Skipped"/>; other failures surface from a later call.
    /// </summary>
    /// <param name="open">Opens the message bytes (RFC 5322; bare LF line ends are normalised by the store).</param>
    /// <param name="source">Where the message comes from, for <see cref="Skipped"/>.</param>
    /// <param name="flags">System flags to give it.</param>
    /// <param name="keywords">Keywords to give it.</param>
    /// <param name="internalDate">INTERNALDATE; null means now.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task AddAsync(Func<Stream> open, string source, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(open);
        await _slots.WaitAsync(cancellationToken);
        var batch = _batch;
        var index = _batchCount++;
        _staging.Add(Task.Run(() => StageAsync(batch, index, open, source, flags, keywords, internalDate, cancellationToken), CancellationToken.None));
        if (_batchCount == BatchSize)
        {
            await SealAsync(cancellationToken);
        }
    }

    /// <summary>Appends everything queued so far and waits until it is committed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_batchCount > 0)
        {
            await SealAsync(cancellationToken);
        }
        await _appending;
    }

    /// <summary>Waits for background work and discards staged messages that were never appended (call
    /// <see cref="FlushAsync"/> first to keep them).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_staging);
        }
        catch (Exception)
        {
            // Already surfaced, or the import is being abandoned; only cleanup matters here.
        }
        try
        {
            await _appending;
        }
        catch (Exception)
        {
            // As above; a failed append disposed its own batch.
        }
        await DiscardAsync(_batch, _batchCount);
        _batchCount = 0;
        _staging.Clear();
        _slots.Dispose();
    }

    /// <summary>Closes the current batch: once the previous append is done, starts appending this one.</summary>
    private async Task SealAsync(CancellationToken cancellationToken)
    {
        var staging = _staging.ToArray();
        var batch = _batch;
        var count = _batchCount;
        _staging.Clear();
        _batch = new AppendRequest?[BatchSize];
        _batchCount = 0;
        try
        {
            await _appending;
        }
        catch
        {
            await DiscardAfterAsync(staging, batch, count);
            throw;
        }
        _appending = AppendBatchAsync(staging, batch, count, cancellationToken);
    }

    private async Task AppendBatchAsync(Task[] staging, AppendRequest?[] batch, int count, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(staging);
            var requests = new List<AppendRequest>(count);
            for (var i = 0; i < count; i++)
            {
                if (batch[i] is { } request)
                {
                    requests.Add(request);
                }
            }
            if (requests.Count == 0)
            {
                return;
            }
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await _store.AppendAsync(_mailboxId, requests, cancellationToken);
            Interlocked.Add(ref _appendTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
            Interlocked.Add(ref _appended, requests.Count);
        }
        catch
        {
            await DiscardAfterAsync(staging, batch, count);
            throw;
        }
    }

    private async Task StageAsync(AppendRequest?[] batch, int index, Func<Stream> open, string source, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken cancellationToken)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            IStagedMessage staged;
            await using (var content = open())
            await using (var stager = await _store.StageAsync(_maxMessageLength, cancellationToken))
            {
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await stager.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                staged = await stager.CompleteAsync(cancellationToken);
            }
            batch[index] = new AppendRequest(staged, flags, keywords, internalDate);
        }
        catch (MailStoreException e) when (e.Error == MailStoreError.Limit)
        {
            _skipped.Enqueue(new ImportSkip(source, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _skipped.Enqueue(new ImportSkip(source, "cannot be read: " + e.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Add(ref _stagingTicks, System.Diagnostics.Stopwatch.GetElapsedTime(start).Ticks);
            _slots.Release();
        }
    }

    private static async Task DiscardAfterAsync(Task[] staging, AppendRequest?[] batch, int count)
    {
        try
        {
            await Task.WhenAll(staging);
        }
        catch (Exception)
        {
            // The batch is being thrown away; its staging errors do not matter any more.
        }
        await DiscardAsync(batch, count);
    }

    private static async Task DiscardAsync(AppendRequest?[] batch, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (batch[i] is { } request)
            {
                await request.Message.DisposeAsync();
                batch[i] = null;
            }
        }
    }
}

using Letterbox.Mail.Messages;
using Letterbox.Mail.Store;

namespace Letterbox.Commands;

/// <summary>
/// Appends many messages to one mailbox quickly: each message is streamed into the store's staging area
/// (<see cref="IMailStore.StageAsync"/>), and every <see cref="BatchSize"/> staged messages go to the mailbox in one
/// <see cref="IMailStore.AppendAsync"/> call — one transaction, one MODSEQ — instead of one per message. Used by
/// <c>letterbox import</c> and by the benchmark's mailbox generator, so both measure the same path.
/// </summary>
public sealed class ImportBatchAppender : IAsyncDisposable
{
    /// <summary>Default number of messages per append transaction.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>Default largest message accepted, in bytes (after CRLF normalisation): 64 MiB.</summary>
    public const long DefaultMaxMessageLength = 64L * 1024 * 1024;

    private readonly IMailStore _store;
    private readonly long _mailboxId;
    private readonly long _maxMessageLength;
    private readonly List<AppendRequest> _pending;
    private readonly byte[] _copyBuffer = new byte[64 * 1024];

    /// <summary>Creates an appender for the mailbox <paramref name="mailboxId"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="mailboxId">Target mailbox.</param>
    /// <param name="batchSize">Messages per append transaction (1 or more).</param>
    /// <param name="maxMessageLength">Largest message in bytes; a larger one is refused with
    /// <see cref="MailStoreException"/> (<see cref="MailStoreError.Limit"/>) by <c>AddAsync</c>.</param>
    public ImportBatchAppender(IMailStore store, long mailboxId, int batchSize = DefaultBatchSize, long maxMessageLength = DefaultMaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _store = store;
        _mailboxId = mailboxId;
        _maxMessageLength = maxMessageLength;
        BatchSize = batchSize;
        _pending = new List<AppendRequest>(batchSize);
    }

    /// <summary>Messages per append transaction.</summary>
    public int BatchSize { get; }

    /// <summary>Messages committed to the mailbox so far.</summary>
    public long Appended { get; private set; }

    /// <summary>Messages staged but not yet appended (at most <see cref="BatchSize"/> − 1 between calls).</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Stages the message read from <paramref name="content"/> (to its end) and appends the batch when it is full.
    /// A message refused while staging (too large, unreadable) throws and leaves the batch as it was, so the caller
    /// can report it as skipped and go on.
    /// </summary>
    /// <param name="content">The message bytes (RFC 5322); bare LF line ends are normalised to CRLF by the store.</param>
    /// <param name="flags">System flags to give it.</param>
    /// <param name="keywords">Keywords to give it.</param>
    /// <param name="internalDate">INTERNALDATE; null means now.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task AddAsync(Stream content, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        IStagedMessage staged;
        await using (var stager = await _store.StageAsync(_maxMessageLength, cancellationToken))
        {
            int read;
            while ((read = await content.ReadAsync(_copyBuffer, cancellationToken)) > 0)
            {
                await stager.WriteAsync(_copyBuffer.AsMemory(0, read), cancellationToken);
            }
            staged = await stager.CompleteAsync(cancellationToken);
        }
        await AddStagedAsync(staged, flags, keywords, internalDate, cancellationToken);
    }

    /// <summary>Stages a message held in memory; otherwise as <c>AddAsync</c>.</summary>
    public async Task AddAsync(ReadOnlyMemory<byte> content, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken cancellationToken = default)
    {
        IStagedMessage staged;
        await using (var stager = await _store.StageAsync(_maxMessageLength, cancellationToken))
        {
            await stager.WriteAsync(content, cancellationToken);
            staged = await stager.CompleteAsync(cancellationToken);
        }
        await AddStagedAsync(staged, flags, keywords, internalDate, cancellationToken);
    }

    /// <summary>Appends the staged messages not yet appended (if any) in one transaction.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        await _store.AppendAsync(_mailboxId, _pending, cancellationToken);
        Appended += _pending.Count;
        _pending.Clear();
    }

    /// <summary>Discards staged messages that were never appended (call <see cref="FlushAsync"/> first to keep them).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var request in _pending)
        {
            await request.Message.DisposeAsync();
        }
        _pending.Clear();
    }

    private async Task AddStagedAsync(IStagedMessage staged, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken cancellationToken)
    {
        _pending.Add(new AppendRequest(staged, flags, keywords, internalDate));
        if (_pending.Count >= BatchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }
}

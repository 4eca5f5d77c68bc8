namespace Letterbox.Mail.Store;

/// <summary>
/// Message bytes written to the store's staging area but not yet in any mailbox. Appending it commits it;
/// disposing it without appending discards the bytes.
/// </summary>
public interface IStagedMessage : IAsyncDisposable
{
    /// <summary>Length in bytes of the staged message (after line-end normalisation to CRLF).</summary>
    long Length { get; }
}

/// <summary>
/// A writable sink for one message's bytes (an APPEND literal, an LMTP DATA body, an imported file).
/// Bytes are streamed to disk, never held whole in memory. Bare LF line ends are normalised to CRLF, as IMAP
/// requires (RFC 9051 §2.3.4 / RFC 5322 §2.3).
/// </summary>
public interface IMessageStager : IAsyncDisposable
{
    /// <summary>Writes the next chunk of the message.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Flushes the bytes durably (fsync) and returns the staged message; the stager is then done.</summary>
    ValueTask<IStagedMessage> CompleteAsync(CancellationToken cancellationToken = default);
}

using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// Streams one message into <c>tmp/</c>, turning every LF not preceded by CR into CRLF (the previous chunk's last
/// byte counts, so a CR LF pair split across writes is kept as is) and enforcing the length limit on the
/// normalised size. Disposing without <see cref="CompleteAsync"/> deletes the file.
/// </summary>
internal sealed class MessageStager : IMessageStager
{
    private static readonly ReadOnlyMemory<byte> CrLf = "\r\n"u8.ToArray();

    private readonly string _path;
    private readonly long _maxLength;
    private FileStream? _stream;
    private long _length;
    private bool _lastWasCr;
    private bool _completed;

    public MessageStager(string path, long maxLength)
    {
        _path = path;
        _maxLength = maxLength;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, FileOptions.Asynchronous);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var stream = _stream ?? throw new InvalidOperationException("The stager is completed or disposed.");
        var start = 0;
        var position = 0;
        while (position < data.Length)
        {
            var relative = data.Span[position..].IndexOf((byte)'\n');
            if (relative < 0)
            {
                break;
            }
            var at = position + relative;
            var previousIsCr = at > 0 ? data.Span[at - 1] == (byte)'\r' : _lastWasCr;
            if (!previousIsCr)
            {
                await WriteCheckedAsync(stream, data[start..at], cancellationToken);
                await WriteCheckedAsync(stream, CrLf, cancellationToken);
                start = at + 1;
            }
            position = at + 1;
        }
        if (start < data.Length)
        {
            await WriteCheckedAsync(stream, data[start..], cancellationToken);
        }
        if (data.Length > 0)
        {
            _lastWasCr = data.Span[^1] == (byte)'\r';
        }
    }

    private ValueTask WriteCheckedAsync(FileStream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0)
        {
            return ValueTask.CompletedTask;
        }
        _length += bytes.Length;
        if (_length > _maxLength)
        {
            throw new MailStoreException(MailStoreError.Limit, $"The message is larger than the limit of {_maxLength} bytes.");
        }
        return stream.WriteAsync(bytes, cancellationToken);
    }

    public async ValueTask<IStagedMessage> CompleteAsync(CancellationToken cancellationToken = default)
    {
        var stream = _stream ?? throw new InvalidOperationException("The stager is completed or disposed.");
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
        await stream.DisposeAsync();
        _stream = null;
        _completed = true;
        return new StagedMessage(_path, _length);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }
        if (!_completed)
        {
            BlobFiles.TryDelete(_path);
        }
    }
}

using System.Runtime.CompilerServices;
using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Import;

/// <summary>
/// Splits an mbox file into messages by streaming it (never loading it whole). A separator is any line starting with
/// "From " (RFC 4155; writers quote such body lines as "&gt;From "; real archives often omit the blank line before a
/// separator, so none is required); each message is the bytes after its separator line up to the next separator,
/// minus one blank line just before it (or at end of file) when there is one. Bytes are the
/// file's own: "&gt;From " quoting (mboxrd/mboxo) is left as written, so imported bytes equal the original ones.
/// </summary>
/// <remarks>RFC 4155 (the application/mbox format).</remarks>
internal static class MboxReader
{
    private static readonly byte[] FromPrefix = "From "u8.ToArray();

    public static async IAsyncEnumerable<ImportItem> ReadAsync(string path, string? mailboxName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new Splitter();
        var buffer = new byte[64 * 1024];
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            long position = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                splitter.Feed(buffer.AsSpan(0, read), position);
                position += read;
                foreach (var range in splitter.TakeCompleted()) yield return Item(path, mailboxName, range);
            }
            splitter.Finish(position);
            foreach (var range in splitter.TakeCompleted()) yield return Item(path, mailboxName, range);
        }
    }

    private static ImportItem Item(string path, string? mailboxName, (long Separator, long Start, long End) range)
    {
        var source = $"{path}:{range.Separator}";
        var reason = MessageSniffer.Check(path, range.Start, range.End - range.Start);
        if (reason is not null) return ImportItem.Skip(mailboxName, source, reason);
        var (start, length) = (range.Start, range.End - range.Start);
        return new ImportItem(mailboxName, () => SliceStream.OpenFile(path, start, length), MessageFlags.None, null, source, null);
    }

    /// <summary>Line-oriented state machine over the file's chunks.</summary>
    private sealed class Splitter
    {
        private readonly byte[] _prefix = new byte[5];
        private readonly List<(long Separator, long Start, long End)> _completed = [];
        private int _prefixLength;
        private long _lineStart;
        private long _lineLength;
        private byte _lastByte;
        private bool _inLine;
        private bool _previousBlank;
        private long _previousStart;
        private long _separator = -1;
        private long _messageStart = -1;

        public List<(long Separator, long Start, long End)> TakeCompleted()
        {
            var list = new List<(long, long, long)>(_completed);
            _completed.Clear();
            return list;
        }

        public void Feed(ReadOnlySpan<byte> chunk, long chunkOffset)
        {
            var i = 0;
            while (i < chunk.Length)
            {
                if (!_inLine)
                {
                    _inLine = true;
                    _lineStart = chunkOffset + i;
                    _lineLength = 0;
                    _prefixLength = 0;
                }
                var newline = chunk[i..].IndexOf((byte)'\n');
                var end = newline < 0 ? chunk.Length : i + newline;
                var take = Math.Min(_prefix.Length - _prefixLength, end - i);
                chunk.Slice(i, take).CopyTo(_prefix.AsSpan(_prefixLength));
                _prefixLength += take;
                if (end > i) _lastByte = chunk[end - 1];
                _lineLength += end - i;
                if (newline < 0) return;
                EndLine(chunkOffset + end + 1);
                i = end + 1;
            }
        }

        public void Finish(long fileLength)
        {
            if (_inLine) EndLine(fileLength);
            if (_messageStart >= 0)
            {
                var end = _previousBlank && _previousStart >= _messageStart ? _previousStart : fileLength;
                _completed.Add((_separator, _messageStart, Math.Max(_messageStart, end)));
                _messageStart = -1;
            }
        }

        private void EndLine(long nextLineStart)
        {
            _inLine = false;
            var blank = _lineLength == 0 || (_lineLength == 1 && _lastByte == '\r');
            var isSeparator = _prefixLength == 5 && _prefix.AsSpan().SequenceEqual(FromPrefix) ;
            if (isSeparator)
            {
                if (_messageStart >= 0)
                {
                    var end = _previousBlank ? _previousStart : _lineStart;
                    _completed.Add((_separator, _messageStart, Math.Max(_messageStart, end)));
                }
                _separator = _lineStart;
                _messageStart = nextLineStart;
                _previousBlank = false;
                _previousStart = _lineStart;
                return;
            }
            _previousBlank = blank;
            _previousStart = _lineStart;
        }
    }
}

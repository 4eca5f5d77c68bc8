using Letterbox.Imap.Parsing;
using Letterbox.Mail.Store;

namespace Letterbox.Server.Imap;

public sealed partial class ImapConnection
{
    /// <summary>
    /// Streams the next <see cref="ReadOutcome.LiteralLength"/> bytes of APPEND message data from the input into a
    /// store stager (never whole in memory, RFC 9051 §6.3.12) and hands the staged message to the reader. Returns
    /// false when the client went away; the partial message is discarded.
    /// </summary>
    /// <exception cref="ImapProtocolException">The store refused the bytes (the connection cannot resynchronise).</exception>
    private async ValueTask<bool> StreamLiteralAsync(ReadOutcome outcome, CancellationToken cancellationToken)
    {
        IMessageStager stager;
        try
        {
            stager = await _store.StageAsync(_options.Limits.MaxAppendLiteralLength, cancellationToken);
        }
        catch (MailStoreException e)
        {
            throw new ImapProtocolException("Cannot store the message: " + e.Message);
        }
        await using (stager)
        {
            var remaining = outcome.LiteralLength;
            while (remaining > 0)
            {
                var result = await _input.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (buffer.IsEmpty && result.IsCompleted)
                {
                    _input.AdvanceTo(buffer.End);
                    return false;
                }
                var chunk = buffer.Length <= remaining ? buffer : buffer.Slice(0, remaining);
                try
                {
                    foreach (var segment in chunk)
                    {
                        await stager.WriteAsync(segment, cancellationToken);
                    }
                }
                catch (MailStoreException e)
                {
                    _input.AdvanceTo(chunk.End);
                    throw new ImapProtocolException("Cannot store the message: " + e.Message);
                }
                remaining -= chunk.Length;
                _input.AdvanceTo(chunk.End);
            }
            IStagedMessage staged;
            try
            {
                staged = await stager.CompleteAsync(cancellationToken);
            }
            catch (MailStoreException e)
            {
                throw new ImapProtocolException("Cannot store the message: " + e.Message);
            }
            _reader.SupplyStagedLiteral(staged);
            return true;
        }
    }
}

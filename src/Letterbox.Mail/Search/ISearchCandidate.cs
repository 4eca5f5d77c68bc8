using Letterbox.Mail.Messages;

namespace Letterbox.Mail.Search;

/// <summary>One message as <see cref="SearchEvaluator"/> sees it: cached fields, and its bytes on demand (only for
/// HEADER/BODY/TEXT and address/subject keys that need decoded header text).</summary>
public interface ISearchCandidate
{
    /// <summary>UID.</summary>
    uint Uid { get; }
    /// <summary>System flags.</summary>
    MessageFlags Flags { get; }
    /// <summary>Keywords.</summary>
    IReadOnlyList<string> Keywords { get; }
    /// <summary>MODSEQ.</summary>
    ulong ModSeq { get; }
    /// <summary>INTERNALDATE.</summary>
    DateTimeOffset InternalDate { get; }
    /// <summary>RFC822.SIZE.</summary>
    long Size { get; }
    /// <summary>The cached structure (envelope gives Date).</summary>
    MessageStructure Structure { get; }
    /// <summary>Opens the stored bytes (CRLF), positioned at 0.</summary>
    ValueTask<Stream> OpenAsync(CancellationToken cancellationToken);
}

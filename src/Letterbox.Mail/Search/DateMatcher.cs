using MimeKit.Utils;

namespace Letterbox.Mail.Search;

/// <summary>BEFORE/ON/SINCE and SENTBEFORE/SENTON/SENTSINCE (RFC 9051 §6.4.4): dates compare by calendar day only.</summary>
internal static class DateMatcher
{
    /// <summary>INTERNALDATE compares by its date in its own offset; the Date: header by the date as written in the
    /// header's own zone. A message without a parseable Date: header matches no SENT* key.</summary>
    public static bool Matches(DateKey key, ISearchCandidate candidate)
    {
        DateOnly day;
        if (key.Field == DateField.Internal)
        {
            day = DateOnly.FromDateTime(candidate.InternalDate.DateTime);
        }
        else
        {
            var raw = candidate.Structure.Envelope.Date;
            if (raw is null || !DateUtils.TryParse(raw, out var sent)) return false;
            day = DateOnly.FromDateTime(sent.DateTime);
        }
        return key.Comparison switch
        {
            DateComparison.Before => day < key.Date,
            DateComparison.On => day == key.Date,
            _ => day >= key.Date,
        };
    }
}

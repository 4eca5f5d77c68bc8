namespace Letterbox.Storage.Sqlite;

/// <summary>Decodes <c>keywords</c> column values, sharing one list per distinct value within one read (a mailbox
/// uses few distinct keyword sets), so bulk flag reads allocate no per-row lists.</summary>
internal sealed class KeywordCache
{
    private readonly Dictionary<string, IReadOnlyList<string>> _decoded = new(StringComparer.Ordinal);
    private string? _lastColumn;
    private IReadOnlyList<string> _lastDecoded = Keywords.Empty;

    public IReadOnlyList<string> Decode(string column)
    {
        if (string.Equals(column, _lastColumn, StringComparison.Ordinal))
        {
            return _lastDecoded;
        }
        if (!_decoded.TryGetValue(column, out var decoded))
        {
            decoded = Keywords.Decode(column);
            if (_decoded.Count < 1024)
            {
                _decoded[column] = decoded;
            }
        }
        _lastColumn = column;
        _lastDecoded = decoded;
        return decoded;
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Letterbox.Imap.Parsing;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Search;
using Letterbox.Mail.Store;

namespace Letterbox.Imap.Tests.Parsing;

/// <summary>A staged message held in memory (test double for the store's stager).</summary>
internal sealed class FakeStaged(byte[] data) : IStagedMessage
{
    public byte[] Data { get; } = data;
    public bool Disposed { get; private set; }
    public long Length => Data.Length;
    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>Drives an <see cref="ImapRequestReader"/> like the session does, feeding input in chunks.</summary>
internal sealed class ReaderHarness
{
    private readonly ImapRequestReader _reader;
    private readonly List<byte> _pending = [];
    private long _streamRemaining;
    private MemoryStream? _stream;

    public ReaderHarness(ImapLimits? limits = null) => _reader = new ImapRequestReader(limits ?? new ImapLimits());

    public ImapRequestReader Reader => _reader;

    public List<string> Events { get; } = [];
    public List<ReadOutcome> Outcomes { get; } = [];
    public List<FakeStaged> Staged { get; } = [];

    public static ReaderHarness Run(string wire, int[]? splits = null, ImapLimits? limits = null)
    {
        var h = new ReaderHarness(limits);
        var bytes = Encoding.UTF8.GetBytes(wire);
        var start = 0;
        foreach (var s in splits ?? [])
        {
            h.Feed(bytes.AsSpan(start, s - start));
            start = s;
        }
        h.Feed(bytes.AsSpan(start));
        return h;
    }

    public static ReaderHarness RunByteAtATime(string wire, ImapLimits? limits = null)
    {
        var h = new ReaderHarness(limits);
        var bytes = Encoding.UTF8.GetBytes(wire);
        for (var i = 0; i < bytes.Length; i++)
        {
            h.Feed(bytes.AsSpan(i, 1));
        }
        return h;
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            _pending.Add(b);
        }
        Pump();
    }

    private void Pump()
    {
        while (true)
        {
            if (_stream is not null)
            {
                var take = (int)Math.Min(_streamRemaining, _pending.Count);
                _stream.Write(_pending.GetRange(0, take).ToArray());
                _pending.RemoveRange(0, take);
                _streamRemaining -= take;
                if (_streamRemaining > 0)
                {
                    return;
                }
                var staged = new FakeStaged(_stream.ToArray());
                Staged.Add(staged);
                _stream = null;
                _reader.SupplyStagedLiteral(staged);
            }
            var buffer = new ReadOnlySequence<byte>(_pending.ToArray());
            var outcome = _reader.Read(buffer, out var consumed);
            var used = (int)buffer.Slice(0, consumed).Length;
            _pending.RemoveRange(0, used);
            switch (outcome.Status)
            {
                case ReadStatus.NeedMoreData:
                    if (used == 0)
                    {
                        return;
                    }
                    break;
                case ReadStatus.SendContinuation:
                    Events.Add("+");
                    break;
                case ReadStatus.StreamLiteral:
                    Events.Add("stream " + outcome.LiteralLength);
                    _streamRemaining = outcome.LiteralLength;
                    _stream = new MemoryStream();
                    break;
                default:
                    Outcomes.Add(outcome);
                    Events.Add(Describe(outcome));
                    break;
            }
        }
    }

    public static string Describe(ReadOutcome o) => o.Status == ReadStatus.Request
        ? o.Request!.Tag + " " + JsonSerializer.Serialize<object>(o.Request.Command, s_json)
        : $"{o.Status} tag={o.Tag ?? "*"} no={o.IsNo} code={o.ResponseCode} close={o.CloseConnection} text={o.ErrorText}";

    public static string DescribeKey(SearchKey key) => key switch
    {
        AndKey a => "(" + string.Join(" ", a.Keys.Select(DescribeKey)) + ")",
        OrKey o => "OR " + DescribeKey(o.Left) + " " + DescribeKey(o.Right),
        NotKey n => "NOT " + DescribeKey(n.Key),
        SequenceSetKey s => (s.IsUid ? "UID " : "SEQ ") + s.Set,
        _ => key.ToString(),
    };

    private static readonly JsonSerializerOptions s_json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new KeyConverter(), new SetConverter(), new StagedConverter(), new JsonStringEnumConverter() },
    };

    private sealed class KeyConverter : JsonConverter<SearchKey>
    {
        public override SearchKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, SearchKey value, JsonSerializerOptions options) => writer.WriteStringValue(DescribeKey(value));
    }

    private sealed class SetConverter : JsonConverter<SequenceSet>
    {
        public override SequenceSet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, SequenceSet value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class StagedConverter : JsonConverter<IStagedMessage>
    {
        public override IStagedMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, IStagedMessage value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Encoding.UTF8.GetString(((FakeStaged)value).Data));
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Letterbox.Mail.Sorting;

/// <summary>
/// Unicode Normalization Form KD (UAX #15) from an embedded table, because Letterbox runs with
/// <c>InvariantGlobalization</c>, where <see cref="string.Normalize()"/> is a no-op. <c>Nfkd.bin</c> is generated
/// by <c>Nfkd.generate.py</c> (Python's unicodedata); Hangul syllables are decomposed algorithmically (§3.12 of
/// the Unicode Standard).
/// </summary>
internal static class Nfkd
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, TCount = 28, NCount = 588, SCount = 11172;

    private static readonly (Dictionary<int, int[]> Decompositions, Dictionary<int, byte> Classes) Data = Load();

    /// <summary>The NFKD form of <paramref name="value"/>.</summary>
    public static string Normalize(string value)
    {
        var decomposed = new List<int>(value.Length + 8);
        var changed = false;
        foreach (var rune in value.EnumerateRunes())
        {
            var cp = rune.Value;
            if (cp >= SBase && cp < SBase + SCount)
            {
                var s = cp - SBase;
                decomposed.Add(LBase + s / NCount);
                decomposed.Add(VBase + s % NCount / TCount);
                if (s % TCount != 0)
                {
                    decomposed.Add(TBase + s % TCount);
                }
                changed = true;
            }
            else if (Data.Decompositions.TryGetValue(cp, out var parts))
            {
                decomposed.AddRange(parts);
                changed = true;
            }
            else
            {
                decomposed.Add(cp);
                changed |= Data.Classes.ContainsKey(cp);
            }
        }
        if (!changed)
        {
            return value;
        }
        // Canonical ordering: stable sort of each run of non-starters by combining class.
        for (var i = 1; i < decomposed.Count; i++)
        {
            var cls = Class(decomposed[i]);
            if (cls == 0)
            {
                continue;
            }
            var j = i;
            while (j > 0 && Class(decomposed[j - 1]) > cls)
            {
                (decomposed[j - 1], decomposed[j]) = (decomposed[j], decomposed[j - 1]);
                j--;
            }
        }
        var builder = new StringBuilder(decomposed.Count);
        foreach (var cp in decomposed)
        {
            builder.Append(new Rune(cp).ToString());
        }
        return builder.ToString();
    }

    private static byte Class(int cp) => Data.Classes.TryGetValue(cp, out var cls) ? cls : (byte)0;

    private static (Dictionary<int, int[]>, Dictionary<int, byte>) Load()
    {
        using var stream = typeof(Nfkd).Assembly.GetManifestResourceStream("Letterbox.Mail.Sorting.Nfkd.bin")
            ?? throw new InvalidOperationException("Embedded resource Nfkd.bin is missing.");
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        var span = data.AsSpan();
        var count = BinaryPrimitives.ReadInt32LittleEndian(span);
        var at = 4;
        var decompositions = new Dictionary<int, int[]>(count);
        for (var i = 0; i < count; i++)
        {
            var cp = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            var length = span[at + 4];
            at += 5;
            var parts = new int[length];
            for (var k = 0; k < length; k++, at += 4)
            {
                parts[k] = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            }
            decompositions.Add(cp, parts);
        }
        var classCount = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
        at += 4;
        var classes = new Dictionary<int, byte>(classCount);
        for (var i = 0; i < classCount; i++, at += 5)
        {
            classes.Add(BinaryPrimitives.ReadInt32LittleEndian(span[at..]), span[at + 4]);
        }
        return (decompositions, classes);
    }
}

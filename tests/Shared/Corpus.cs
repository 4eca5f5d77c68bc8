using MimeKit;

namespace Letterbox.Tests;

/// <summary>(One file, linked into every test project that needs it.) The shared real-message corpus (<c>../shared/corpus</c> next to the folder holding Letterbox.slnx):
/// every .eml/.txt message of the eml folders and every message of each mbox, with bare LF converted to CRLF (the
/// form the store keeps).</summary>
internal static class Corpus
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    /// <summary>The repository root (the folder holding Letterbox.slnx).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Letterbox.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Letterbox.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Message names: "eml/legacy/000.eml" or "mbox/simple.mbox#2", ordered.</summary>
    public static IReadOnlyList<string> Names { get; } = LoadNames();

    /// <summary>The CRLF bytes of one named message.</summary>
    public static byte[] Load(string name)
    {
        var hash = name.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0) return ToCrlf(File.ReadAllBytes(Path.Combine(Root, name)));
        var messages = SplitMbox(File.ReadAllBytes(Path.Combine(Root, name[..hash])));
        return ToCrlf(messages[int.Parse(name[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture)]);
    }

    /// <summary>Replaces every bare LF with CRLF.</summary>
    public static byte[] ToCrlf(byte[] data)
    {
        var output = new List<byte>(data.Length + data.Length / 40);
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) output.Add((byte)'\r');
            output.Add(data[i]);
        }
        return [.. output];
    }

    private static List<string> LoadNames()
    {
        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "eml"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) continue;
            names.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        }
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "mbox"), "*.mbox").Order(StringComparer.Ordinal))
        {
            var count = SplitMbox(File.ReadAllBytes(file)).Count;
            for (var i = 0; i < count; i++) names.Add(Path.GetRelativePath(Root, file).Replace('\\', '/') + "#" + i);
        }
        return names;
    }

    /// <summary>Splits an mbox with MimeKit's own parser (the reference; independent of Letterbox's importer).</summary>
    private static List<byte[]> SplitMbox(byte[] data)
    {
        var ranges = new List<(long Begin, long End)>();
        using var stream = new MemoryStream(data);
        var parser = new MimeParser(stream, MimeFormat.Mbox);
        parser.MimeMessageBegin += (_, e) => { if (e.Parent is null) ranges.Add((e.BeginOffset, -1)); };
        parser.MimeMessageEnd += (_, e) => { if (e.Parent is null) ranges[^1] = (ranges[^1].Begin, e.EndOffset); };
        while (!parser.IsEndOfStream) parser.ParseMessage();
        return ranges.Select(r => data[(int)r.Begin..(int)r.End]).ToList();
    }

    private static string FindRoot()
    {
        var corpus = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "corpus"));
        if (!Directory.Exists(corpus)) throw new InvalidOperationException("Corpus not found at " + corpus);
        return corpus;
    }
}

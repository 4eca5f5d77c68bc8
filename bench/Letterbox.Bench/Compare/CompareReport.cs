using System.Globalization;
using System.Text.Json;

namespace Letterbox.Bench.Compare;

/// <summary>One measured figure of one repetition on one server.</summary>
internal sealed record Measurement(double? Value, double? CpuPer1k, string Load, string? Note);

/// <summary>Collects figures per (row, server) over the repetitions; prints the side-by-side table, the RESULT
/// lines (ratio &gt; 1 means Letterbox is better) and writes JSON.</summary>
internal sealed class CompareReport(string letterbox, string other)
{
    private sealed class Row(string name, string unit, bool higherIsBetter)
    {
        public string Name { get; } = name;
        public string Unit { get; } = unit;
        public bool HigherIsBetter { get; } = higherIsBetter;
        public Dictionary<string, List<Measurement>> Samples { get; } = [];
    }

    private readonly List<Row> _rows = [];
    private readonly Lock _lock = new();

    public string Letterbox { get; } = letterbox;
    public string Other { get; } = other;

    public static string LoadAverage()
    {
        var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : "?";
        return text.Split(' ')[0];
    }

    /// <summary>Declares a row (so it appears, as n/a, even if never measured), in table order.</summary>
    public void Declare(string name, string unit, bool higherIsBetter)
    {
        lock (_lock)
        {
            if (_rows.All(r => r.Name != name))
            {
                _rows.Add(new Row(name, unit, higherIsBetter));
            }
        }
    }

    public void Add(string name, string unit, bool higherIsBetter, string server, double? value, double? cpuPer1k = null, string? note = null)
    {
        Declare(name, unit, higherIsBetter);
        var measurement = new Measurement(value, cpuPer1k, LoadAverage(), note);
        lock (_lock)
        {
            var row = _rows.First(r => r.Name == name);
            if (!row.Samples.TryGetValue(server, out var list))
            {
                row.Samples[server] = list = [];
            }
            list.Add(measurement);
        }
        var text = value is double v ? Format(v) : "n/a";
        Console.WriteLine($"  {server,-10} {name,-28} {text,10} {unit}{(cpuPer1k is double c ? $"  cpu {Format(c)} s/1k cmds" : "")}  load {measurement.Load}{(note is null ? "" : "  (" + note + ")")}");
    }

    private static (double Min, double Median, double Max)? Stats(List<Measurement>? list)
    {
        var values = list?.Where(m => m.Value is not null).Select(m => m.Value!.Value).OrderBy(v => v).ToArray();
        if (values is null || values.Length == 0)
        {
            return null;
        }
        var n = values.Length;
        var median = n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
        return (values[0], median, values[^1]);
    }

    private static double? MedianCpu(List<Measurement>? list)
    {
        var values = list?.Where(m => m.CpuPer1k is not null).Select(m => m.CpuPer1k!.Value).OrderBy(v => v).ToArray();
        return values is null || values.Length == 0 ? null : values[values.Length / 2];
    }

    private static double? Ratio(Row row, double? lb, double? other)
    {
        if (lb is not double a || other is not double b || a <= 0 || b <= 0)
        {
            return null;
        }
        return row.HigherIsBetter ? a / b : b / a;
    }

    public static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 1 ? "0.0" : "0.000", CultureInfo.InvariantCulture);

    private static string Cell((double Min, double Median, double Max)? s) =>
        s is { } v ? $"{Format(v.Median)} ({Format(v.Min)}-{Format(v.Max)})" : "n/a";

    public void Print(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine($"median (min-max) over the repetitions; ratio > 1 means {Letterbox} is better; cpu = server CPU seconds per 1,000 commands (median)");
        writer.WriteLine($"{"workload",-30} {Letterbox,-26} {Other,-26} {"unit",-9} {"ratio",7}  {"cpu " + Letterbox,-14} {"cpu " + Other,-14} load");
        writer.WriteLine(new string('-', 150));
        List<string> results = [];
        lock (_lock)
        {
            foreach (var row in _rows)
            {
                row.Samples.TryGetValue(Letterbox, out var a);
                row.Samples.TryGetValue(Other, out var b);
                var sa = Stats(a);
                var sb = Stats(b);
                var ratio = Ratio(row, sa?.Median, sb?.Median);
                var ca = MedianCpu(a);
                var cb = MedianCpu(b);
                var loads = string.Join(",", (a ?? []).Concat(b ?? []).Select(m => m.Load).Distinct());
                writer.WriteLine($"{row.Name,-30} {Cell(sa),-26} {Cell(sb),-26} {row.Unit,-9} {(ratio is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "n/a"),7}  {(ca is double x ? Format(x) : "-"),-14} {(cb is double y ? Format(y) : "-"),-14} {loads}");
                var notes = (a ?? []).Concat(b ?? []).Select(m => m.Note).Where(n => n is not null).Distinct().ToArray();
                results.Add($"RESULT workload={row.Name} {Letterbox}={(sa is { } p ? Format(p.Median) : "n/a")} {Other}={(sb is { } q ? Format(q.Median) : "n/a")} unit={row.Unit} ratio={(ratio is double rr ? rr.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}");
                foreach (var note in notes.Take(3))
                {
                    writer.WriteLine($"{"",-30} note: {note}");
                }
            }
        }
        writer.WriteLine();
        foreach (var line in results)
        {
            writer.WriteLine(line);
        }
    }

    public void WriteJson(string path, IDictionary<string, string> machine)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        lock (_lock)
        {
            var document = new Dictionary<string, object>
            {
                ["machine"] = machine,
                ["servers"] = new[] { Letterbox, Other },
                ["rows"] = _rows.Select(r => new Dictionary<string, object?>
                {
                    ["workload"] = r.Name,
                    ["unit"] = r.Unit,
                    ["higherIsBetter"] = r.HigherIsBetter,
                    ["samples"] = r.Samples.ToDictionary(kv => kv.Key, kv => kv.Value),
                }).ToList(),
            };
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
        }
    }
}

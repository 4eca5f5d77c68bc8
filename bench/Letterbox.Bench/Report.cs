using System.Globalization;

namespace Letterbox.Bench;

/// <summary>Prints measurements as a table and as machine-readable <c>RESULT</c> lines.</summary>
internal static class Report
{
    private static readonly List<string> Rows = [];

    /// <summary>Min/median/max of repeated timings, in milliseconds.</summary>
    public static (double Min, double Median, double Max) Summarize(List<double> samples)
    {
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        return (sorted[0], median, sorted[^1]);
    }

    /// <summary>Records one figure: a table row now, and a RESULT line.</summary>
    public static void Add(string workload, double figure, string unit, string detail, string target)
    {
        var text = figure.ToString(figure >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture);
        Rows.Add(string.Create(CultureInfo.InvariantCulture, $"{workload,-34} {text,12} {unit,-8} {target,-14} {detail}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT workload={workload} letterbox={text} unit={unit}"));
    }

    /// <summary>Records a figure the server could not give (it refused the command, or it timed out): n/a.</summary>
    public static void AddMissing(string workload, string unit, string detail)
    {
        Rows.Add(string.Create(CultureInfo.InvariantCulture, $"{workload,-34} {"n/a",12} {unit,-8} {"-",-14} {detail}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT workload={workload} letterbox=n/a unit={unit}"));
    }

    /// <summary>Cores and load average: figures from a busy machine are not comparable with a quiet one's.</summary>
    public static string Machine()
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
        return $"machine: {Environment.ProcessorCount} cores, load average {load}";
    }

    /// <summary>Prints the table of everything added.</summary>
    public static void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine(Machine());
        Console.WriteLine($"{"workload",-34} {"letterbox",12} {"unit",-8} {"target",-14} detail");
        Console.WriteLine(new string('-', 100));
        foreach (var row in Rows)
        {
            Console.WriteLine(row);
        }
    }

    /// <summary>Formats a target check like "&lt; 50 ms ok".</summary>
    public static string Target(string text, bool met) => text + (met ? " ok" : " MISSED");
}

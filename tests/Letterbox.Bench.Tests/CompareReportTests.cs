using Letterbox.Bench.Compare;

namespace Letterbox.Bench.Tests;

/// <summary>The table's ratio always means "Letterbox is better" when above 1.</summary>
public sealed class CompareReportTests
{
    private static string Print(CompareReport report)
    {
        using var writer = new StringWriter();
        report.Print(writer);
        return writer.ToString();
    }

    [Fact]
    public void Throughput_ratio_is_letterbox_over_other_and_latency_ratio_is_inverted()
    {
        var report = new CompareReport("letterbox", "dovecot");
        report.Add("rate", "msg/s", true, "letterbox", 300);
        report.Add("rate", "msg/s", true, "dovecot", 100);
        report.Add("latency", "ms", false, "letterbox", 30);
        report.Add("latency", "ms", false, "dovecot", 10);
        var text = Print(report);
        Assert.Contains("RESULT workload=rate letterbox=300 dovecot=100 unit=msg/s ratio=3.00", text, StringComparison.Ordinal);
        Assert.Contains("RESULT workload=latency letterbox=30.0 dovecot=10.0 unit=ms ratio=0.33", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Median_of_the_repetitions_is_reported_and_a_missing_figure_is_na()
    {
        var report = new CompareReport("letterbox", "dovecot");
        foreach (var value in new[] { 5.0, 1.0, 3.0 })
        {
            report.Add("select", "ms", false, "letterbox", value);
        }
        report.Add("select", "ms", false, "dovecot", null, null, "not supported");
        var text = Print(report);
        Assert.Contains("RESULT workload=select letterbox=3.0 dovecot=n/a unit=ms ratio=n/a", text, StringComparison.Ordinal);
        Assert.Contains("3.0 (1.0-5.0)", text, StringComparison.Ordinal);
    }
}

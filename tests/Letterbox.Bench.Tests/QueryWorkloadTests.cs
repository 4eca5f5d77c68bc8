using System.Text;

namespace Letterbox.Bench.Tests;

/// <summary>The query workload's file format and result counting (bench/README.md, "queries").</summary>
public sealed class QueryWorkloadTests
{
    [Fact]
    public void A_query_file_names_commands_by_prefix_or_by_their_text_and_skips_comments()
    {
        var path = Path.Combine(Path.GetTempPath(), "letterbox-queries-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            File.WriteAllText(path, "# my queries\n\nfrom: SEARCH FROM \"jwz\"\nSEARCH TEXT \"a:b\"\nSEARCH TEXT \"a:b\"\nUID SEARCH 1:* SUBJECT x\n");
            var queries = QueryWorkload.Load(path);
            Assert.Equal(["from", "search-text-a-b", "search-text-a-b-2", "uid-search-1-subject-x"], queries.Select(q => q.Name));
            Assert.Equal("SEARCH FROM \"jwz\"", queries[0].Command);
            Assert.Equal("UID SEARCH 1:* SUBJECT x", queries[3].Command);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_or_empty_query_file_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => QueryWorkload.Load("/nonexistent/queries.txt"));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# nothing\n");
            Assert.Throws<ArgumentException>(() => QueryWorkload.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("* SEARCH 1 2 30", 3L)]
    [InlineData("* SEARCH", 0L)]
    [InlineData("* SORT 5 4 3", 3L)]
    [InlineData("* THREAD (2)(3 6 (4 23)(44 7 96))", 8L)]
    [InlineData("* ESEARCH (TAG \"A1\") UID COUNT 17 ALL 1:17", 17L)]
    [InlineData("* 3 EXISTS", null)]
    public void Result_counts_come_from_search_sort_thread_and_esearch_lines(string line, long? expected) =>
        Assert.Equal(expected, QueryWorkload.CountResults(Encoding.ASCII.GetBytes(line)));
}

using System.Text;
using Letterbox.Imap.Responses;
using Letterbox.Mail.Threading;

namespace Letterbox.Imap.Tests.Responses;

/// <summary>SORT and THREAD responses (RFC 5256 §4), byte for byte against the RFC's examples.</summary>
public sealed class ImapResponseWriterSortTests
{
    [Fact]
    public void SortListsNumbersInOrder()
    {
        Assert.Equal("* SORT 2 3 6\r\n", WriterHarness.Write(w => w.WriteSort([2, 3, 6])));
        Assert.Equal("* SORT 5 3 4 1 2\r\n", WriterHarness.Write(w => w.WriteSort([5, 3, 4, 1, 2])));
        Assert.Equal("* SORT\r\n", WriterHarness.Write(w => w.WriteSort([])));
    }

    /// <summary>RFC 7162 §3.1.9 / §7 <c>sort-data = "SORT" [1*(SP nz-number) SP search-sort-mod-seq]</c>.</summary>
    [Fact]
    public void SortAppendsTheHighestModSeq()
    {
        Assert.Equal("* SORT 5 3 4 (MODSEQ 917162500)\r\n", WriterHarness.Write(w => w.WriteSort([5, 3, 4], 917162500)));
        Assert.Equal("* SORT 2\r\n", WriterHarness.Write(w => w.WriteSort([2], 0)));
    }

    /// <summary>Every THREAD example of RFC 5256 (§3, with the editorial line breaks removed, and §4), parsed into
    /// a tree and written back.</summary>
    [Theory]
    [InlineData("(2)(3 6 (4 23)(44 7 96))")]
    [InlineData("((3)(5))")]
    [InlineData("(166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))(190)(191)(192)(193)(194 195)(196 (197)(198))(199)(200 202)(201)(203)(204)(205)(206 207)(208)")]
    [InlineData("(166)(167)(168)(169)(172)((170)(179))(171)(173)((174)(175)(176)(178)(181)(180))((177)(183)(182)(188 (184)(189))(185 186)(187))(190)(191)(192)(193)((194)(195 196))(197 198)(199)(200 202)(201)(203)(204)(205 206 207)(208)")]
    public void ThreadWritesTheRfcExamples(string threads)
    {
        var (tree, numbers) = Parse(threads);
        Assert.Equal("* THREAD " + threads + "\r\n", WriterHarness.Write(w => w.WriteThread(tree, numbers)));
    }

    [Fact]
    public void EmptyThreadResponse()
    {
        var (tree, numbers) = Parse("");
        Assert.Equal("* THREAD\r\n", WriterHarness.Write(w => w.WriteThread(tree, numbers)));
    }

    /// <summary>A chain of 100,000 replies is written without recursion.</summary>
    [Fact]
    public void DeepChain()
    {
        const int n = 100_000;
        var message = new int[n];
        var first = new int[n];
        var next = new int[n];
        var numbers = new uint[n];
        for (var i = 0; i < n; i++)
        {
            message[i] = i;
            first[i] = i + 1 < n ? i + 1 : -1;
            next[i] = -1;
            numbers[i] = (uint)i + 1;
        }
        var text = WriterHarness.Write(w => w.WriteThread(new ThreadTree(message, first, next, [0]), numbers));
        Assert.StartsWith("* THREAD (1 2 3 ", text, StringComparison.Ordinal);
        Assert.EndsWith(" 99999 100000)\r\n", text, StringComparison.Ordinal);
    }

    /// <summary>Parses <c>*thread-list</c> (RFC 5256 §5) into a tree: a nested list without a number is a dummy.</summary>
    private static (ThreadTree Tree, uint[] Numbers) Parse(string text)
    {
        var message = new List<int>();
        var first = new List<int>();
        var next = new List<int>();
        var numbers = new List<uint>();
        var roots = new List<int>();
        var at = 0;
        int NewNode(int msg)
        {
            message.Add(msg);
            first.Add(-1);
            next.Add(-1);
            return message.Count - 1;
        }
        void AddChild(int parent, int child)
        {
            if (first[parent] < 0) { first[parent] = child; return; }
            var c = first[parent];
            while (next[c] >= 0) c = next[c];
            next[c] = child;
        }
        int List()
        {
            Assert.Equal('(', text[at++]);
            int top;
            if (text[at] == '(')
            {
                top = NewNode(-1);
                while (text[at] == '(') AddChild(top, List());
            }
            else
            {
                top = -1;
                var last = -1;
                while (char.IsAsciiDigit(text[at]))
                {
                    var start = at;
                    while (char.IsAsciiDigit(text[at])) at++;
                    numbers.Add(uint.Parse(text[start..at], System.Globalization.CultureInfo.InvariantCulture));
                    var node = NewNode(numbers.Count - 1);
                    if (last >= 0) AddChild(last, node); else top = node;
                    last = node;
                    if (text[at] == ' ') at++;
                }
                while (text[at] == '(') AddChild(last, List());
            }
            Assert.Equal(')', text[at++]);
            return top;
        }
        while (at < text.Length) roots.Add(List());
        return (new ThreadTree([.. message], [.. first], [.. next], [.. roots]), [.. numbers]);
    }
}

using Letterbox.Mail.Threading;

namespace Letterbox.Imap.Responses;

public sealed partial class ImapResponseWriter
{
    /// <summary>Writes <c>* SORT n n … CRLF</c> (RFC 5256 §4 <c>sort-data</c>): sequence numbers or UIDs in sorted
    /// order; <c>* SORT</c> alone when nothing matched. A non-zero <paramref name="highestModSeq"/> is appended as
    /// <c>(MODSEQ n)</c> (RFC 7162 §3.1.9, <c>search-sort-mod-seq</c>).</summary>
    public void WriteSort(ReadOnlySpan<uint> numbers, ulong highestModSeq = 0)
    {
        WriteRaw("* SORT"u8);
        for (var i = 0; i < numbers.Length; i++)
        {
            WriteSpace();
            WriteNumber(numbers[i]);
        }
        if (highestModSeq != 0)
        {
            WriteRaw(" (MODSEQ "u8);
            WriteNumber(highestModSeq);
            WriteByte((byte)')');
        }
        WriteCrlf();
    }

    /// <summary>
    /// Writes <c>* THREAD thread-list… CRLF</c> (RFC 5256 §4 <c>thread-data</c>), e.g. <c>* THREAD (2)(3 6 (4 23)(44 7 96))</c>:
    /// a parent followed by a single child is written as <c>parent child</c>; several children each as a nested
    /// <c>(…)</c>; a dummy parent writes only its children (<c>((3)(5))</c>). <paramref name="numbers"/> maps the
    /// tree's message indices to sequence numbers or UIDs. Iterative, so any depth is safe.
    /// </summary>
    public void WriteThread(ThreadTree tree, ReadOnlySpan<uint> numbers)
    {
        ArgumentNullException.ThrowIfNull(tree);
        WriteRaw("* THREAD"u8);
        if (tree.Roots.Length > 0)
        {
            WriteSpace();
        }
        const int Close = -1;
        var stack = new Stack<int>();
        var children = new List<int>();
        foreach (var root in tree.Roots)
        {
            stack.Push(root);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (node == Close)
                {
                    WriteCloseParen();
                    continue;
                }
                WriteOpenParen();
                var wroteNumber = false;
                while (true)
                {
                    var message = tree.MessageOf(node);
                    if (message >= 0)
                    {
                        if (wroteNumber)
                        {
                            WriteSpace();
                        }
                        WriteNumber(numbers[message]);
                        wroteNumber = true;
                    }
                    var first = tree.FirstChild(node);
                    if (first >= 0 && tree.NextSibling(first) < 0 && message >= 0)
                    {
                        node = first; // a chain: "parent child"
                        continue;
                    }
                    if (first < 0)
                    {
                        WriteCloseParen();
                        break;
                    }
                    if (wroteNumber)
                    {
                        WriteSpace();
                    }
                    stack.Push(Close);
                    children.Clear();
                    for (var child = first; child >= 0; child = tree.NextSibling(child))
                    {
                        children.Add(child);
                    }
                    for (var i = children.Count - 1; i >= 0; i--)
                    {
                        stack.Push(children[i]);
                    }
                    break;
                }
            }
        }
        WriteCrlf();
    }
}

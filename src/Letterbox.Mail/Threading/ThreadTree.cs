namespace Letterbox.Mail.Threading;

/// <summary>
/// The result of THREAD (RFC 5256 §3): a forest of nodes in response order. A node is a message (an index into
/// the list given to the threader) or a dummy (a parent that is not among the searched messages); children are in
/// sibling order.
/// </summary>
public sealed class ThreadTree
{
    private readonly int[] _message;
    private readonly int[] _firstChild;
    private readonly int[] _nextSibling;
    private readonly int[] _roots;

    /// <summary>A tree over nodes 0..n-1 given as parallel arrays (each -1 for none).</summary>
    /// <param name="message">Per node: the message index, or -1 for a dummy.</param>
    /// <param name="firstChild">Per node: its first child.</param>
    /// <param name="nextSibling">Per node: its next sibling.</param>
    /// <param name="roots">The top-level nodes in order.</param>
    public ThreadTree(int[] message, int[] firstChild, int[] nextSibling, int[] roots)
    {
        _message = message;
        _firstChild = firstChild;
        _nextSibling = nextSibling;
        _roots = roots;
    }

    /// <summary>The top-level nodes (one per thread), in thread order.</summary>
    public ReadOnlySpan<int> Roots => _roots;

    /// <summary>The message index of <paramref name="node"/>, or -1 for a dummy.</summary>
    public int MessageOf(int node) => _message[node];

    /// <summary>The first child of <paramref name="node"/>, or -1.</summary>
    public int FirstChild(int node) => _firstChild[node];

    /// <summary>The next sibling of <paramref name="node"/>, or -1.</summary>
    public int NextSibling(int node) => _nextSibling[node];
}

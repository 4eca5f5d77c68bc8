using Letterbox.Mail.Sorting;

namespace Letterbox.Mail.Threading;

/// <summary>
/// THREAD REFERENCES (RFC 5256 §3): parent/child links from Message-ID, References and In-Reply-To, dummy parents
/// for ids not among the messages, pruning, merging of top-level threads with the same base subject, and siblings
/// sorted by sent date (ties by mailbox order).
/// </summary>
/// <remarks>
/// Nodes live in parallel lists (parent, children as a doubly linked sibling list); every walk is iterative, so a
/// reply chain of any length cannot overflow the stack. Steps are numbered as in the RFC. THREAD=REFS shares steps
/// 1–3 and finishes differently (<c>ReferencesThreader.Refs.cs</c>).
/// </remarks>
public sealed partial class ReferencesThreader
{
    private readonly SortSnapshot _snapshot;
    private readonly bool _refs;
    private readonly int[] _selected;
    /// <summary>Per message position: sent date, base subject id.</summary>
    private readonly long[] _dates;
    private readonly int[] _subjects;
    private readonly List<int> _message;
    private readonly List<int> _parent;
    private readonly List<int> _first;
    private readonly List<int> _last;
    private readonly List<int> _next;
    private readonly List<int> _prev;
    /// <summary>Scratch for <see cref="SortChildren"/> and <see cref="SortByDate"/>.</summary>
    private int[] _siblings = new int[16];
    private long[] _dateKeys = new long[16];
    private int[] _tieKeys = new int[16];

    private ReferencesThreader(SortSnapshot snapshot, ReadOnlySpan<int> selected, bool refs = false)
    {
        _snapshot = snapshot;
        _refs = refs;
        _selected = selected.ToArray();
        _dates = OrderedSubjectThreader.Dates(snapshot, selected);
        _subjects = new int[_selected.Length];
        var subjects = snapshot.Ids[SortSnapshot.SubjectKind];
        for (var i = 0; i < _subjects.Length; i++)
        {
            _subjects[i] = subjects[_selected[i]];
        }
        var capacity = _selected.Length + _selected.Length / 2;
        _message = new List<int>(capacity);
        _parent = new List<int>(capacity);
        _first = new List<int>(capacity);
        _last = new List<int>(capacity);
        _next = new List<int>(capacity);
        _prev = new List<int>(capacity);
    }

    /// <summary>Threads <paramref name="messages"/> (in mailbox order; subject, reply flag, Message-ID and
    /// references of their <see cref="SortKeys"/> are read).</summary>
    public static ThreadTree Thread(IReadOnlyList<SortableMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var snapshot = SortSnapshot.Build(messages);
        return Thread(snapshot, MessageSorter.All(snapshot.Count));
    }

    /// <summary>Threads the messages <paramref name="selected"/> of <paramref name="snapshot"/> (indices ascending);
    /// the tree's message indices are positions into <paramref name="selected"/>. Message-IDs and subjects are
    /// the snapshot's interned ids, so no string is hashed or compared here; O(m log m) for m messages.</summary>
    public static ThreadTree Thread(SortSnapshot snapshot, ReadOnlySpan<int> selected)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new ReferencesThreader(snapshot, selected).Run();
    }

    private ThreadTree Run()
    {
        var n = _selected.Length;
        var messageIds = _snapshot.MessageIds;
        var starts = _snapshot.ReferenceStarts;
        var referenceIds = _snapshot.References;
        // (1) links. table: Message-ID id → node.
        var table = new int[_snapshot.MessageIdCount];
        Array.Fill(table, -1);
        for (var m = 0; m < n; m++)
        {
            var index = _selected[m];
            var id = messageIds[index];
            int node;
            if (id >= 0 && table[id] is var existing and >= 0)
            {
                if (_message[existing] < 0)
                {
                    _message[existing] = m;
                    node = existing;
                }
                else
                {
                    node = NewNode(m); // a duplicate Message-ID: this message gets a unique one
                }
            }
            else
            {
                node = NewNode(m);
                if (id >= 0)
                {
                    table[id] = node;
                }
            }
            var previous = -1;
            for (var r = starts[index]; r < starts[index + 1]; r++)
            {
                var current = table[referenceIds[r]];
                if (current < 0)
                {
                    current = NewNode(-1);
                    table[referenceIds[r]] = current;
                }
                // (1.A) link adjacent references unless the child already has a parent or it would loop.
                if (previous >= 0 && _parent[current] < 0 && !WouldLoop(previous, current))
                {
                    Link(previous, current);
                }
                previous = current;
            }
            // (1.B) the last reference is the parent: replace any link made from an earlier message's references.
            if (_parent[node] >= 0)
            {
                Unlink(node);
            }
            if (previous >= 0 && !WouldLoop(previous, node))
            {
                Link(previous, node);
            }
        }

        // (2) the root's children: every node without a parent.
        var roots = new List<int>();
        for (var i = 0; i < _parent.Count; i++)
        {
            if (_parent[i] < 0)
            {
                roots.Add(i);
            }
        }

        // (3) prune dummies, children before parents.
        PruneBelowRoot(roots);
        roots = PruneRoot(roots);
        if (_refs)
        {
            return FinishRefs(roots);
        }

        // (4) sort the top level by sent date (a dummy by its first child after sorting its children).
        for (var i = 0; i < roots.Count; i++)
        {
            if (_message[roots[i]] < 0)
            {
                SortChildren(roots[i]);
            }
        }
        var top = roots.ToArray();
        SortByDate(top, top.Length);

        // (5) gather threads with the same base subject.
        top = MergeSubjects(top);

        // (6) sort every set of siblings by sent date, deepest first.
        var order = PreOrder(top);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            SortChildren(order[i]);
        }
        SortByDate(top, top.Length);
        return Freeze(top);
    }

    private int NewNode(int message)
    {
        _message.Add(message);
        _parent.Add(-1);
        _first.Add(-1);
        _last.Add(-1);
        _next.Add(-1);
        _prev.Add(-1);
        return _message.Count - 1;
    }

    /// <summary>True when making <paramref name="parent"/> the parent of <paramref name="child"/> would make a loop
    /// (the parent is the child or one of its descendants).</summary>
    private bool WouldLoop(int parent, int child)
    {
        for (var p = parent; p >= 0; p = _parent[p])
        {
            if (p == child)
            {
                return true;
            }
        }
        return false;
    }

    private void Link(int parent, int child)
    {
        _parent[child] = parent;
        _prev[child] = _last[parent];
        _next[child] = -1;
        if (_last[parent] >= 0)
        {
            _next[_last[parent]] = child;
        }
        else
        {
            _first[parent] = child;
        }
        _last[parent] = child;
    }

    private void Unlink(int child)
    {
        var parent = _parent[child];
        if (_prev[child] >= 0) _next[_prev[child]] = _next[child];
        else _first[parent] = _next[child];
        if (_next[child] >= 0) _prev[_next[child]] = _prev[child];
        else _last[parent] = _prev[child];
        _parent[child] = -1;
        _prev[child] = -1;
        _next[child] = -1;
    }

    /// <summary>Nodes reachable from <paramref name="roots"/>, each before its descendants.</summary>
    private List<int> PreOrder(IReadOnlyList<int> roots)
    {
        var order = new List<int>(_message.Count);
        var stack = new Stack<int>();
        for (var i = roots.Count - 1; i >= 0; i--)
        {
            stack.Push(roots[i]);
        }
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            order.Add(node);
            for (var c = _last[node]; c >= 0; c = _prev[c])
            {
                stack.Push(c);
            }
        }
        return order;
    }

    /// <summary>(3) below the root: a dummy child without children is deleted; one with children is replaced by
    /// them (they move up to its parent's level). Children are fixed before their parents.</summary>
    private void PruneBelowRoot(List<int> roots)
    {
        var order = PreOrder(roots);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            var child = _first[node];
            while (child >= 0)
            {
                var following = _next[child];
                if (_message[child] < 0)
                {
                    // Splice the dummy's children in its place, then drop it.
                    var grandchild = _first[child];
                    while (grandchild >= 0)
                    {
                        var nextGrandchild = _next[grandchild];
                        Unlink(grandchild);
                        InsertBefore(node, grandchild, child);
                        grandchild = nextGrandchild;
                    }
                    Unlink(child);
                }
                child = following;
            }
        }
    }

    private void InsertBefore(int parent, int child, int before)
    {
        _parent[child] = parent;
        _next[child] = before;
        _prev[child] = _prev[before];
        if (_prev[before] >= 0) _next[_prev[before]] = child;
        else _first[parent] = child;
        _prev[before] = child;
    }

    /// <summary>(3) at the root: a dummy without children is deleted; a dummy with one child is replaced by it; a
    /// dummy with several children stays (promoting them would make them separate threads).</summary>
    private List<int> PruneRoot(List<int> roots)
    {
        var kept = new List<int>(roots.Count);
        foreach (var node in roots)
        {
            if (_message[node] >= 0)
            {
                kept.Add(node);
            }
            else if (_first[node] >= 0 && _first[node] == _last[node])
            {
                var only = _first[node];
                Unlink(only);
                kept.Add(only);
            }
            else if (_first[node] >= 0)
            {
                kept.Add(node);
            }
        }
        return kept;
    }

    /// <summary>The thread subject (5.B.i): the id of the node's base subject, or its first child's for a dummy;
    /// -1 when it is empty (such threads are not merged).</summary>
    private int ThreadSubject(int node)
    {
        var message = _message[node] >= 0 ? _message[node] : _message[_first[node]];
        if (message < 0)
        {
            return -1;
        }
        var subject = _subjects[message];
        return _snapshot.Strings[SortSnapshot.SubjectKind][subject].Length == 0 ? -1 : subject;
    }

    private bool IsReply(int node) => _message[node] >= 0 && _snapshot.Replies[_selected[_message[node]]];

    /// <summary>(5) merges top-level threads with the same thread subject; returns the new top level.</summary>
    private int[] MergeSubjects(int[] top)
    {
        // (5.B) one node per subject: a dummy wins, then a non-reply over a reply.
        var table = new int[_snapshot.DistinctCount(SortSnapshot.SubjectKind)];
        Array.Fill(table, -1);
        foreach (var node in top)
        {
            var subject = ThreadSubject(node);
            if (subject < 0)
            {
                continue;
            }
            var held = table[subject];
            if (held < 0)
            {
                table[subject] = node;
            }
            else if (_message[held] >= 0 && (_message[node] < 0 || (IsReply(held) && !IsReply(node))))
            {
                table[subject] = node;
            }
        }
        // (5.C) merge into the table's node.
        var result = new List<int>(top.Length);
        var position = new Dictionary<int, int>();
        foreach (var node in top)
        {
            if (_parent[node] >= 0)
            {
                continue; // already merged under a node that came earlier
            }
            var subject = ThreadSubject(node);
            var held = subject < 0 ? -1 : table[subject];
            if (held < 0 || held == node)
            {
                position[node] = result.Count;
                result.Add(node);
                continue;
            }
            var heldDummy = _message[held] < 0;
            var nodeDummy = _message[node] < 0;
            if (heldDummy && nodeDummy)
            {
                var child = _first[node];
                while (child >= 0)
                {
                    var following = _next[child];
                    Unlink(child);
                    Link(held, child);
                    child = following;
                }
            }
            else if (heldDummy || (IsReply(node) && !IsReply(held)))
            {
                Link(held, node);
            }
            else if (nodeDummy)
            {
                Link(node, held);
                Replace(result, position, held, node, table, subject);
            }
            else
            {
                var dummy = NewNode(-1);
                Link(dummy, held);
                Link(dummy, node);
                Replace(result, position, held, dummy, table, subject);
            }
        }
        var merged = new List<int>(result.Count);
        foreach (var node in result)
        {
            if (node >= 0)
            {
                merged.Add(node);
            }
        }
        return merged.ToArray();
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="held"/> stood at the top level (or at the
    /// end if it has not been reached yet) and in the subject table.</summary>
    private static void Replace(List<int> result, Dictionary<int, int> position, int held, int replacement, int[] table, int subject)
    {
        table[subject] = replacement;
        if (position.Remove(held, out var at))
        {
            result[at] = replacement;
            position[replacement] = at;
        }
        else
        {
            // The table's node comes later in the top level: it is skipped there (held == node test fails), so the
            // replacement takes this node's place.
            position[replacement] = result.Count;
            result.Add(replacement);
        }
    }

    /// <summary>Sorts the children of <paramref name="node"/> by sent date, then mailbox order.</summary>
    private void SortChildren(int node)
    {
        if (_first[node] < 0 || _first[node] == _last[node])
        {
            return;
        }
        var count = 0;
        for (var c = _first[node]; c >= 0; c = _next[c])
        {
            if (count == _siblings.Length)
            {
                Array.Resize(ref _siblings, count * 2);
            }
            _siblings[count++] = c;
        }
        SortByDate(_siblings, count);
        _first[node] = -1;
        _last[node] = -1;
        for (var i = 0; i < count; i++)
        {
            Link(node, _siblings[i]);
        }
    }

    /// <summary>Sorts the first <paramref name="count"/> nodes by the sent date of their
    /// <see cref="DateMessage"/> (nodes without one first), ties by mailbox order: dates, then (within runs of
    /// equal dates) message positions, both as primitive keys.</summary>
    private void SortByDate(int[] nodes, int count)
    {
        if (count < 2)
        {
            return;
        }
        if (_dateKeys.Length < count)
        {
            _dateKeys = new long[Math.Max(count, _dateKeys.Length * 2)];
        }
        for (var i = 0; i < count; i++)
        {
            var message = DateMessage(nodes[i]);
            _dateKeys[i] = message < 0 ? long.MinValue : _dates[message];
        }
        Array.Sort(_dateKeys, nodes, 0, count);
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            while (end < count && _dateKeys[end] == _dateKeys[start])
            {
                end++;
            }
            if (end - start > 1)
            {
                // Equal dates: mailbox order of the date messages (-1, no message, first).
                if (_tieKeys.Length < end - start)
                {
                    _tieKeys = new int[Math.Max(end - start, _tieKeys.Length * 2)];
                }
                for (var k = start; k < end; k++)
                {
                    _tieKeys[k - start] = DateMessage(nodes[k]);
                }
                _tieKeys.AsSpan(0, end - start).Sort(nodes.AsSpan(start, end - start));
            }
            start = end;
        }
    }

    /// <summary>The message whose date orders <paramref name="node"/>: itself, or a dummy's first child.</summary>
    private int DateMessage(int node)
    {
        while (_message[node] < 0 && _first[node] >= 0)
        {
            node = _first[node];
        }
        return _message[node];
    }

    private ThreadTree Freeze(int[] top)
    {
        var count = _message.Count;
        var message = new int[count];
        var first = new int[count];
        var next = new int[count];
        for (var i = 0; i < count; i++)
        {
            message[i] = _message[i];
            first[i] = _first[i];
            next[i] = _next[i];
        }
        return new ThreadTree(message, first, next, top);
    }
}

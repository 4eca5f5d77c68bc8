using System.Text;
using Letterbox.Mail.Messages;
using Letterbox.Mail.Sorting;
using Letterbox.Mail.Threading;

namespace Letterbox.Mail.Tests.Sorting;

/// <summary>Builds <see cref="SortableMessage"/>s the way a store does (keys from an envelope) and renders thread
/// trees in the RFC 5256 §4 <c>thread-list</c> form for comparisons.</summary>
internal static class SortFixtures
{
    public static SortableMessage Message(
        uint uid,
        string subject = "",
        long date = 0,
        string? id = null,
        string? references = null,
        string? inReplyTo = null,
        string? from = null,
        string? to = null,
        long size = 0,
        long arrival = 0)
    {
        var envelope = new Envelope(
            null,
            subject,
            from is null ? null : [Address(from)],
            null,
            null,
            to is null ? null : [Address(to)],
            null,
            null,
            inReplyTo,
            id);
        var keys = SortKeys.FromEnvelope(envelope, references);
        return new SortableMessage(uid, arrival, size, date, keys);
    }

    /// <summary>The messages of the RFC 5256 §4 THREAD example <c>(2)(3 6 (4 23)(44 7 96))</c>, linked by References
    /// headers, UIDs as in the example.</summary>
    public static SortableMessage[] RfcThreadExample() =>
    [
        Message(2, "a", 1, "<m2>"),
        Message(3, "b", 2, "<m3>"),
        Message(4, "Re: b", 4, "<m4>", "<m3> <m6>"),
        Message(6, "Re: b", 3, "<m6>", "<m3>"),
        Message(7, "Re: b", 7, "<m7>", "<m3> <m6> <m44>"),
        Message(23, "Re: b", 5, "<m23>", "<m3> <m6> <m4>"),
        Message(44, "Re: b", 6, "<m44>", "<m3> <m6>"),
        Message(96, "Re: b", 8, "<m96>", "<m3> <m6> <m44> <m7>"),
    ];

    /// <summary>"Name &lt;local@host&gt;" or "local@host".</summary>
    private static EnvelopeAddress Address(string text)
    {
        var lt = text.IndexOf('<', StringComparison.Ordinal);
        var name = lt > 0 ? text[..lt].Trim() : null;
        var spec = lt >= 0 ? text[(lt + 1)..^1] : text;
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        return new EnvelopeAddress(name, null, spec[..at], spec[(at + 1)..]);
    }

    /// <summary>The tree as RFC 5256 §4 writes it, numbering messages by UID.</summary>
    public static string Render(ThreadTree tree, IReadOnlyList<SortableMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var root in tree.Roots)
        {
            text.Append('(');
            Members(tree, messages, root, text);
            text.Append(')');
        }
        return text.ToString();
    }

    private static void Members(ThreadTree tree, IReadOnlyList<SortableMessage> messages, int node, StringBuilder text)
    {
        var message = tree.MessageOf(node);
        if (message >= 0)
        {
            text.Append(messages[message].Uid);
        }
        var first = tree.FirstChild(node);
        if (first < 0)
        {
            return;
        }
        if (tree.NextSibling(first) < 0 && message >= 0)
        {
            text.Append(' ');
            Members(tree, messages, first, text);
            return;
        }
        if (message >= 0)
        {
            text.Append(' ');
        }
        for (var child = first; child >= 0; child = tree.NextSibling(child))
        {
            text.Append('(');
            Members(tree, messages, child, text);
            text.Append(')');
        }
    }
}

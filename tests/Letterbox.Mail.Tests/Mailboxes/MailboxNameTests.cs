using System.Diagnostics;
using Letterbox.Mail.Mailboxes;

namespace Letterbox.Mail.Tests.Mailboxes;

public sealed class MailboxNameTests
{
    [Theory]
    [InlineData("INBOX")]
    [InlineData("Archive/2024/März")]
    [InlineData("a.b/c..d/.hidden")]
    [InlineData("日本語")]
    public void ValidNames(string name)
    {
        Assert.True(MailboxName.IsValid(name, out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a//b")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("../x")]
    [InlineData("a/../b")]
    [InlineData("a/./b")]
    [InlineData("a/..")]
    [InlineData("a\0b")]
    [InlineData("a\r\nb")]
    [InlineData("a\tb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    [InlineData("a*b")]
    [InlineData("a%b")]
    public void InvalidNames(string name)
    {
        Assert.False(MailboxName.IsValid(name, out var reason));
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void LengthIsCountedInUtf8Bytes()
    {
        Assert.True(MailboxName.IsValid(new string('a', 512), out _));
        Assert.False(MailboxName.IsValid(new string('a', 513), out _));
        Assert.False(MailboxName.IsValid(new string('ä', 257), out _)); // 514 bytes
        Assert.False(MailboxName.IsValid(null, out _));
        Assert.False(MailboxName.IsValid("\uD800x", out _));
        Assert.False(MailboxName.IsValid("x\uDC00", out _));
        Assert.True(MailboxName.IsValid("emoji \uD83D\uDE00", out _));
    }

    [Theory]
    [InlineData("inbox", "INBOX")]
    [InlineData("InBoX", "INBOX")]
    [InlineData("Inbox/Sub", "INBOX/Sub")]
    [InlineData("INBOX", "INBOX")]
    [InlineData("Inboxes", "Inboxes")]
    [InlineData("Archive/inbox", "Archive/inbox")]
    public void Canonicalize(string name, string expected) => Assert.Equal(expected, MailboxName.Canonicalize(name));

    [Theory]
    [InlineData("a/b/c", "a/b")]
    [InlineData("a/b", "a")]
    [InlineData("a", null)]
    public void Parent(string name, string? expected) => Assert.Equal(expected, MailboxName.Parent(name));

    [Theory]
    [InlineData("INBOX", "*", true)]
    [InlineData("a/b/c", "*", true)]
    [InlineData("a/b/c", "%", false)]
    [InlineData("a", "%", true)]
    [InlineData("a/b", "a/%", true)]
    [InlineData("a/b/c", "a/%", false)]
    [InlineData("a/b/c", "a/*", true)]
    [InlineData("a", "a/*", false)]
    [InlineData("a/b/c", "a/%/c", true)]
    [InlineData("a/b/c", "%/%/%", true)]
    [InlineData("a/b/c", "*c", true)]
    [InlineData("a/b/c", "*b", false)]
    [InlineData("foo/bar", "f%o/b*r", true)]
    [InlineData("foo", "", false)]
    [InlineData("", "", true)]
    [InlineData("INBOX", "inbox", true)]
    [InlineData("INBOX/x", "inbox/%", true)]
    [InlineData("Archive", "archive", false)]
    [InlineData("a.b", "a%", true)]
    [InlineData("a.b", "a%", false, '.')]
    public void ListPatterns(string name, string pattern, bool expected, char delimiter = '/')
        => Assert.Equal(expected, MailboxName.Matches(name, pattern, delimiter));

    [Fact]
    public void PathologicalPatternsRunInPolynomialTime()
    {
        var name = new string('a', 5000) + "b";
        var pattern = string.Concat(Enumerable.Repeat("*a%", 200)) + "c";
        var watch = Stopwatch.StartNew();
        Assert.False(MailboxName.Matches(name, pattern));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}

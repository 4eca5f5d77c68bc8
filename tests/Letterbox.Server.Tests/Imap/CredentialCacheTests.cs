using Letterbox.Server.Imap;

namespace Letterbox.Server.Tests.Imap;

public sealed class CredentialCacheTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void RemembersOnlyTheVerifiedPasswordForTheSameStoredHash()
    {
        var cache = new CredentialCache();
        Assert.False(cache.IsKnownGood("alice", "{H}1", "secret"));
        cache.Remember("alice", "{H}1", "secret");
        Assert.True(cache.IsKnownGood("ALICE", "{H}1", "secret"));
        Assert.False(cache.IsKnownGood("alice", "{H}1", "Secret"));
        Assert.False(cache.IsKnownGood("alice", "{H}2", "secret")); // password changed: new stored hash
        Assert.False(cache.IsKnownGood("bob", "{H}1", "secret"));
    }

    [Fact]
    public void EntriesExpire()
    {
        var time = new ManualTime();
        var cache = new CredentialCache(lifetime: TimeSpan.FromMinutes(5), time: time);
        cache.Remember("alice", "{H}1", "secret");
        time.Now += TimeSpan.FromMinutes(6);
        Assert.False(cache.IsKnownGood("alice", "{H}1", "secret"));
    }

    [Fact]
    public void CapacityZeroDisablesCaching()
    {
        var cache = new CredentialCache(capacity: 0);
        cache.Remember("alice", "{H}1", "secret");
        Assert.False(cache.IsKnownGood("alice", "{H}1", "secret"));
    }
}

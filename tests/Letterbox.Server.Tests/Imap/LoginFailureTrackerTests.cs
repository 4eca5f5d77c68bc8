using System.Net;
using Letterbox.Server.Imap;

namespace Letterbox.Server.Tests.Imap;

public sealed class LoginFailureTrackerTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Failures_count_per_address_across_connections_and_expire_after_the_window()
    {
        var time = new ManualTime();
        var tracker = new LoginFailureTracker(TimeSpan.FromMinutes(15), time: time);
        var a = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 50000);
        var aOtherPort = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 50001);
        var aMapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 50002);
        var b = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 50000);
        Assert.Equal(1, tracker.RecordFailure(a));
        Assert.Equal(2, tracker.RecordFailure(aOtherPort));
        Assert.Equal(3, tracker.RecordFailure(aMapped));
        Assert.Equal(1, tracker.RecordFailure(b));
        Assert.Equal(3, tracker.GetFailures(a));
        time.Now += TimeSpan.FromMinutes(16);
        Assert.Equal(0, tracker.GetFailures(a));
        Assert.Equal(1, tracker.RecordFailure(a));
    }

    [Fact]
    public void In_process_connections_are_not_tracked()
    {
        var tracker = new LoginFailureTracker();
        Assert.Equal(0, tracker.RecordFailure(null));
        Assert.Equal(0, tracker.GetFailures(null));
    }

    [Fact]
    public void A_full_tracker_drops_expired_entries_first()
    {
        var time = new ManualTime();
        var tracker = new LoginFailureTracker(TimeSpan.FromMinutes(1), capacity: 2, time: time);
        var old = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1);
        var recent = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 1);
        tracker.RecordFailure(old);
        time.Now += TimeSpan.FromMinutes(2);
        tracker.RecordFailure(recent);
        tracker.RecordFailure(new IPEndPoint(IPAddress.Parse("192.0.2.3"), 1));
        Assert.Equal(1, tracker.GetFailures(recent));
        Assert.Equal(0, tracker.GetFailures(old));
    }
}

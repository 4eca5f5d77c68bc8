using System.Text;

namespace Letterbox.Server.Tests.Imap;

public sealed class AuthenticationTests
{
    private static string Plain(string authzid, string user, string password)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{authzid}\0{user}\0{password}"));

    [Fact]
    public async Task Login_succeeds_with_capabilities_in_the_reply()
    {
        await using var s = await ImapTestSession.StartAsync();
        var reply = await s.CommandAsync("a1", "LOGIN alice secret");
        Assert.StartsWith("a1 OK [CAPABILITY IMAP4rev1 ", reply, StringComparison.Ordinal);
        Assert.EndsWith("] LOGIN completed\r\n", reply, StringComparison.Ordinal);
        Assert.Equal("alice", s.Connection.Session.User?.Name);
    }

    [Theory]
    [InlineData("alice wrong")]
    [InlineData("nobody secret")]
    public async Task Login_failure_is_authenticationfailed(string credentials)
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", await s.CommandAsync("a1", "LOGIN " + credentials));
        Assert.Equal("a2 BAD CREATE is only valid in the authenticated state\r\n", await s.CommandAsync("a2", "CREATE x"));
    }

    [Fact]
    public async Task Too_many_failures_close_the_connection_with_bye()
    {
        await using var s = await ImapTestSession.StartAsync(new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, MaxLoginFailures = 2 });
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", await s.CommandAsync("a1", "LOGIN alice x"));
        Assert.Equal("a2 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", await s.CommandAsync("a2", "LOGIN alice y"));
        Assert.Equal("* BYE Too many failed authentication attempts", await s.ReadLineAsync());
        await s.AssertClosedAsync();
    }

    [Fact]
    public async Task Authenticate_plain_with_initial_response()
    {
        await using var s = await ImapTestSession.StartAsync();
        var reply = await s.CommandAsync("a1", "AUTHENTICATE PLAIN " + Plain("", "alice", "secret"));
        Assert.StartsWith("a1 OK [CAPABILITY ", reply, StringComparison.Ordinal);
        Assert.EndsWith("] AUTHENTICATE completed\r\n", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_plain_with_continuation_and_matching_authzid()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync("a1 AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await s.ReadLineAsync());
        await s.SendAsync(Plain("alice", "alice", "secret") + "\r\n");
        Assert.StartsWith("a1 OK [CAPABILITY ", await s.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_cancel_is_bad_and_session_stays_unauthenticated()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync("a1 AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await s.ReadLineAsync());
        await s.SendAsync("*\r\n");
        Assert.Equal("a1 BAD Authentication cancelled", await s.ReadLineAsync());
        Assert.StartsWith("a2 OK", await s.CommandAsync("a2", "LOGIN alice secret"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_bad_base64_is_bad()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync("a1 AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await s.ReadLineAsync());
        await s.SendAsync("!!!notbase64\r\n");
        Assert.Equal("a1 BAD Invalid base64 in authentication response", await s.ReadLineAsync());
    }

    [Fact]
    public async Task Authenticate_wrong_password_and_foreign_authzid_fail()
    {
        await using var s = await ImapTestSession.StartAsync();
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n",
            await s.CommandAsync("a1", "AUTHENTICATE PLAIN " + Plain("", "alice", "nope")));
        Assert.StartsWith("a2 NO [AUTHORIZATIONFAILED] ",
            await s.CommandAsync("a2", "AUTHENTICATE PLAIN " + Plain("bob", "alice", "secret")), StringComparison.Ordinal);
        Assert.Equal("a3 NO Unsupported authentication mechanism\r\n", await s.CommandAsync("a3", "AUTHENTICATE CRAM-MD5"));
    }
}

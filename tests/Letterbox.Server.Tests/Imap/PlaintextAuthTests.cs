using System.Text;

namespace Letterbox.Server.Tests.Imap;

/// <summary>RFC 9051 §6.2.3 LOGINDISABLED, RFC 5530 §3 PRIVACYREQUIRED: plaintext passwords where the policy refuses
/// them (an in-process session counts as loopback, so <see cref="PlaintextAuthPolicy.Never"/> is used).</summary>
public sealed class PlaintextAuthTests
{
    private static ImapServerOptions Never => new() { LoginFailureDelay = TimeSpan.Zero, PlaintextAuth = PlaintextAuthPolicy.Never };

    [Fact]
    public async Task Greeting_and_capability_show_logindisabled_and_no_password_mechanisms()
    {
        await using var s = await ImapTestSession.StartAsync(Never, readGreeting: false);
        var greeting = await s.ReadLineAsync();
        Assert.Contains(" LOGINDISABLED", greeting, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH=PLAIN", greeting, StringComparison.Ordinal);
        var reply = await s.CommandAsync("a1", "CAPABILITY");
        Assert.Contains(" LOGINDISABLED", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH=PLAIN", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH=LOGIN", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_and_authenticate_plain_are_privacyrequired_and_do_not_log_in()
    {
        await using var s = await ImapTestSession.StartAsync(Never);
        Assert.Equal("a1 NO [PRIVACYREQUIRED] Plaintext authentication is disabled: connect with TLS\r\n", await s.CommandAsync("a1", "LOGIN alice secret"));
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0secret"));
        Assert.Equal("a2 NO [PRIVACYREQUIRED] Plaintext authentication is disabled: connect with TLS\r\n", await s.CommandAsync("a2", "AUTHENTICATE PLAIN " + plain));
        Assert.Null(s.Connection.Session.User);
        Assert.Equal("a3 BAD LIST is only valid in the authenticated state\r\n", await s.CommandAsync("a3", "LIST \"\" *"));
    }

    [Fact]
    public async Task Always_and_loopback_allow_login_in_process()
    {
        await using var s = await ImapTestSession.StartAsync(new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, PlaintextAuth = PlaintextAuthPolicy.Always });
        Assert.DoesNotContain("LOGINDISABLED", await s.CommandAsync("a1", "CAPABILITY"), StringComparison.Ordinal);
        await s.LoginAsync();
    }
}

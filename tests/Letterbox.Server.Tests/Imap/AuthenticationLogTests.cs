using System.Net;
using System.Text;
using Letterbox.Mail.Users;
using Letterbox.Server.Imap.Handlers;
using Microsoft.Extensions.Logging;

namespace Letterbox.Server.Tests.Imap;

/// <summary>Every authentication outcome — LOGIN (RFC 9051 §6.2.3), AUTHENTICATE PLAIN/LOGIN/SCRAM-SHA-256
/// (RFC 9051 §6.2.2) and refused cleartext passwords (RFC 5530 PRIVACYREQUIRED) — is logged with the user name, the
/// remote address and the mechanism, never the password, and counted per mechanism.</summary>
public sealed class AuthenticationLogTests
{
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("192.0.2.7"), 40123);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Successes_and_failures_are_logged_with_user_address_and_mechanism_and_counted_without_the_password()
    {
        var logger = new ListLogger();
        var options = new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, PlaintextAuth = PlaintextAuthPolicy.Always };
        await using var s = await ImapTestSession.StartAsync(options, logger: logger, remoteEndPoint: Remote);
        await s.Store.SetScramSecretAsync(s.User.Id, ScramSecret.Create(ImapTestSession.Password, 4096).ToString());

        await s.SendAsync("a1 LOGIN alice wrong-one\r\n");
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        await s.SendAsync("a2 AUTHENTICATE PLAIN " + B64("\0alice\0wrong-two") + "\r\n");
        Assert.Equal("a2 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        await s.SendAsync("a3 AUTHENTICATE LOGIN " + B64("alice") + "\r\n");
        await s.ReadLineAsync(); // + Password:
        await s.SendAsync(B64("wrong-three") + "\r\n");
        Assert.Equal("a3 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        await s.SendAsync("a4 LOGIN alice secret\r\n");
        Assert.StartsWith("a4 OK [CAPABILITY ", await s.ReadLineAsync(), StringComparison.Ordinal);

        var counters = options.AuthenticationCounters;
        Assert.Equal(1, counters.Succeeded);
        Assert.Equal(3, counters.Failed);
        Assert.Equal(0, counters.Refused);
        Assert.Equal(1, counters.SucceededWith("LOGIN"));
        Assert.Equal(1, counters.FailedWith("LOGIN"));
        Assert.Equal(1, counters.FailedWith("PLAIN"));
        Assert.Equal(1, counters.FailedWith(AuthenticateHandler.SaslLogin));
        Assert.Equal(0, counters.SucceededWith("SCRAM-SHA-256"));

        var entries = logger.Entries;
        var failures = entries.Where(e => e.Message.StartsWith("Failed login", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Contains(failures, e => e.Message.Contains("for alice from 192.0.2.7:40123 with LOGIN", StringComparison.Ordinal));
        Assert.Contains(failures, e => e.Message.Contains("for alice from 192.0.2.7:40123 with PLAIN", StringComparison.Ordinal));
        Assert.Contains(failures, e => e.Message.Contains("for alice from 192.0.2.7:40123 with AUTH=LOGIN", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Message == "alice logged in from 192.0.2.7:40123 with LOGIN");
        foreach (var (_, message) in entries)
        {
            Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Scram_failure_and_success_are_counted_under_their_mechanism()
    {
        var logger = new ListLogger();
        var options = new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero };
        await using var s = await ImapTestSession.StartAsync(options, logger: logger);
        await s.Store.SetScramSecretAsync(s.User.Id, ScramSecret.Create(ImapTestSession.Password, 4096).ToString());
        var nonce = "fyko+d2lbbFgONRv9qkxdawL";
        await s.SendAsync("a1 AUTHENTICATE SCRAM-SHA-256 " + B64("n,,n=alice,r=" + nonce) + "\r\n");
        var serverFirst = Encoding.UTF8.GetString(Convert.FromBase64String((await s.ReadLineAsync())![2..]));
        var combined = serverFirst.Split(',')[0][2..];
        await s.SendAsync(B64($"c=biws,r={combined},p=" + Convert.ToBase64String(new byte[32])) + "\r\n");
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        Assert.Equal(1, options.AuthenticationCounters.FailedWith("SCRAM-SHA-256"));
        Assert.Contains(logger.Entries, e => e.Message.Contains("Failed login for alice from", StringComparison.Ordinal) && e.Message.Contains("with SCRAM-SHA-256 (", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_cleartext_password_is_logged_and_counted_as_refused_not_failed()
    {
        var logger = new ListLogger();
        var options = new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, PlaintextAuth = PlaintextAuthPolicy.Never };
        await using var s = await ImapTestSession.StartAsync(options, logger: logger, remoteEndPoint: Remote);
        await s.SendAsync("a1 LOGIN alice secret\r\n");
        Assert.StartsWith("a1 NO [PRIVACYREQUIRED]", await s.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal(1, options.AuthenticationCounters.Refused);
        Assert.Equal(0, options.AuthenticationCounters.Failed);
        var refused = Assert.Single(logger.Entries, e => e.Message.StartsWith("Refused a cleartext password", StringComparison.Ordinal));
        Assert.Contains("192.0.2.7:40123 with LOGIN", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
    }
}

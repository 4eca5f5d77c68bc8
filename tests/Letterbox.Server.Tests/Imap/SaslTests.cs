using System.Security.Cryptography;
using System.Text;
using Letterbox.Mail.Users;

namespace Letterbox.Server.Tests.Imap;

/// <summary>AUTHENTICATE LOGIN and SCRAM-SHA-256 (RFC 7677/5802) transcripts, with SASL-IR (RFC 4959), cancel and
/// out-of-step responses. The SCRAM client side is computed here from RFC 5802 §3.</summary>
public sealed class SaslTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Unb64(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));

    private static async Task<ImapTestSession> StartWithScramAsync(ImapServerOptions? options = null)
    {
        var s = await ImapTestSession.StartAsync(options);
        await s.Store.SetScramSecretAsync(s.User.Id, ScramSecret.Create(ImapTestSession.Password, 4096).ToString());
        return s;
    }

    [Fact]
    public async Task Login_mechanism_asks_for_user_name_and_password()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync("a1 AUTHENTICATE LOGIN\r\n");
        Assert.Equal("+ " + B64("Username:"), await s.ReadLineAsync());
        await s.SendAsync(B64("alice") + "\r\n");
        Assert.Equal("+ " + B64("Password:"), await s.ReadLineAsync());
        await s.SendAsync(B64("secret") + "\r\n");
        Assert.StartsWith("a1 OK [CAPABILITY ", await s.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("alice", s.Connection.Session.User?.Name);
    }

    [Fact]
    public async Task Login_mechanism_with_initial_response_and_cancel_and_bad_base64()
    {
        await using var s = await ImapTestSession.StartAsync();
        await s.SendAsync("a1 AUTHENTICATE LOGIN " + B64("alice") + "\r\n");
        Assert.Equal("+ " + B64("Password:"), await s.ReadLineAsync());
        await s.SendAsync("*\r\n");
        Assert.Equal("a1 BAD Authentication cancelled", await s.ReadLineAsync());
        await s.SendAsync("a2 AUTHENTICATE LOGIN\r\n");
        Assert.Equal("+ " + B64("Username:"), await s.ReadLineAsync());
        await s.SendAsync("not base64!\r\n");
        Assert.Equal("a2 BAD Invalid base64 in authentication response", await s.ReadLineAsync());
        await s.SendAsync("a3 AUTHENTICATE LOGIN " + B64("alice") + "\r\n");
        Assert.Equal("+ " + B64("Password:"), await s.ReadLineAsync());
        await s.SendAsync(B64("wrong") + "\r\n");
        Assert.Equal("a3 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        Assert.Null(s.Connection.Session.User);
    }

    [Fact]
    public async Task Scram_sha_256_with_initial_response_verifies_both_ways()
    {
        await using var s = await StartWithScramAsync();
        var client = new ScramClient("alice", "secret");
        await s.SendAsync("a1 AUTHENTICATE SCRAM-SHA-256 " + B64(client.ClientFirst) + "\r\n");
        var serverFirst = await ReadChallengeAsync(s);
        Assert.StartsWith("r=" + client.Nonce, serverFirst, StringComparison.Ordinal);
        Assert.Contains(",i=4096", serverFirst, StringComparison.Ordinal);
        await s.SendAsync(B64(client.ClientFinal(serverFirst)) + "\r\n");
        var serverFinal = await ReadChallengeAsync(s);
        Assert.Equal("v=" + client.ExpectedServerSignature, serverFinal);
        Assert.Null(s.Connection.Session.User);
        await s.SendAsync("\r\n");
        Assert.StartsWith("a1 OK [CAPABILITY ", await s.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("alice", s.Connection.Session.User?.Name);
    }

    [Fact]
    public async Task Scram_without_initial_response_and_with_plaintext_auth_disabled()
    {
        await using var s = await StartWithScramAsync(new ImapServerOptions { LoginFailureDelay = TimeSpan.Zero, PlaintextAuth = PlaintextAuthPolicy.Never });
        Assert.Contains(" AUTH=SCRAM-SHA-256", await s.CommandAsync("a0", "CAPABILITY"), StringComparison.Ordinal);
        var client = new ScramClient("alice", "secret");
        await s.SendAsync("a1 AUTHENTICATE SCRAM-SHA-256\r\n");
        Assert.Equal("+ ", await s.ReadLineAsync());
        await s.SendAsync(B64(client.ClientFirst) + "\r\n");
        var serverFirst = await ReadChallengeAsync(s);
        await s.SendAsync(B64(client.ClientFinal(serverFirst)) + "\r\n");
        Assert.Equal("v=" + client.ExpectedServerSignature, await ReadChallengeAsync(s));
        await s.SendAsync("\r\n");
        Assert.StartsWith("a1 OK ", await s.ReadLineAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("nobody", "secret")]
    public async Task Scram_wrong_password_or_unknown_user_fails_after_the_proof(string user, string password)
    {
        await using var s = await StartWithScramAsync();
        var client = new ScramClient(user, password);
        await s.SendAsync("a1 AUTHENTICATE SCRAM-SHA-256 " + B64(client.ClientFirst) + "\r\n");
        var serverFirst = await ReadChallengeAsync(s);
        Assert.Contains(",s=", serverFirst, StringComparison.Ordinal);
        await s.SendAsync(B64(client.ClientFinal(serverFirst)) + "\r\n");
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        Assert.Null(s.Connection.Session.User);
    }

    [Fact]
    public async Task Scram_user_without_a_secret_fails()
    {
        await using var s = await ImapTestSession.StartAsync();
        var client = new ScramClient("alice", "secret");
        await s.SendAsync("a1 AUTHENTICATE SCRAM-SHA-256 " + B64(client.ClientFirst) + "\r\n");
        await s.SendAsync(B64(client.ClientFinal(await ReadChallengeAsync(s))) + "\r\n");
        Assert.Equal("a1 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
    }

    [Theory]
    [InlineData("n=alice,r=abc", "a1 BAD Malformed SCRAM client-first-message")]
    [InlineData("x,,n=alice,r=abc", "a1 BAD Malformed SCRAM gs2-header")]
    [InlineData("p=tls-exporter,,n=alice,r=abc", "a1 BAD Channel binding needs SCRAM-SHA-256-PLUS")]
    [InlineData("n,,n=al=ice,r=abc", "a1 BAD Malformed SCRAM client-first-message")]
    [InlineData("n,a=bob,n=alice,r=abc", "a1 BAD Authorization identity must be empty or equal the user name")]
    public async Task Scram_malformed_client_first_is_bad(string clientFirst, string expected)
    {
        await using var s = await StartWithScramAsync();
        Assert.Equal(expected + "\r\n", await s.CommandAsync("a1", "AUTHENTICATE SCRAM-SHA-256 " + B64(clientFirst)));
    }

    [Fact]
    public async Task Scram_out_of_step_responses_and_cancel_are_bad()
    {
        await using var s = await StartWithScramAsync();
        // client-final that is not one
        var client = new ScramClient("alice", "secret");
        await s.SendAsync("a1 AUTHENTICATE SCRAM-SHA-256 " + B64(client.ClientFirst) + "\r\n");
        await ReadChallengeAsync(s);
        await s.SendAsync(B64(client.ClientFirst) + "\r\n");
        Assert.Equal("a1 BAD Malformed SCRAM client-final-message", await s.ReadLineAsync());
        // cancel at server-first
        await s.SendAsync("a2 AUTHENTICATE SCRAM-SHA-256 " + B64(client.ClientFirst) + "\r\n");
        await ReadChallengeAsync(s);
        await s.SendAsync("*\r\n");
        Assert.Equal("a2 BAD Authentication cancelled", await s.ReadLineAsync());
        // a non-empty response to the server-final message
        var again = new ScramClient("alice", "secret");
        await s.SendAsync("a3 AUTHENTICATE SCRAM-SHA-256 " + B64(again.ClientFirst) + "\r\n");
        await s.SendAsync(B64(again.ClientFinal(await ReadChallengeAsync(s))) + "\r\n");
        Assert.StartsWith("v=", await ReadChallengeAsync(s), StringComparison.Ordinal);
        await s.SendAsync(B64("extra") + "\r\n");
        Assert.Equal("a3 BAD Expected an empty response after the SCRAM server-final-message", await s.ReadLineAsync());
        Assert.Null(s.Connection.Session.User);
        // a nonce the server did not send
        var tampered = new ScramClient("alice", "secret");
        await s.SendAsync("a4 AUTHENTICATE SCRAM-SHA-256 " + B64(tampered.ClientFirst) + "\r\n");
        var serverFirst = await ReadChallengeAsync(s);
        await s.SendAsync(B64(tampered.ClientFinal(serverFirst.Replace("r=", "r=X", StringComparison.Ordinal))) + "\r\n");
        Assert.Equal("a4 NO [AUTHENTICATIONFAILED] Invalid credentials", await s.ReadLineAsync());
        Assert.StartsWith("a5 OK", await s.CommandAsync("a5", "NOOP"), StringComparison.Ordinal);
    }

    private static async Task<string> ReadChallengeAsync(ImapTestSession s)
    {
        var line = await s.ReadLineAsync();
        Assert.NotNull(line);
        Assert.StartsWith("+ ", line, StringComparison.Ordinal);
        return Unb64(line[2..]);
    }

    /// <summary>The client side of SCRAM-SHA-256, straight from RFC 5802 §3.</summary>
    private sealed class ScramClient(string user, string password)
    {
        private byte[] _saltedPassword = [];
        private string _authMessage = "";

        public string Nonce { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

        public string ClientFirstBare => $"n={user},r={Nonce}";

        public string ClientFirst => "n,," + ClientFirstBare;

        public string ClientFinal(string serverFirst)
        {
            var fields = serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
            _saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(fields["s"]), int.Parse(fields["i"], System.Globalization.CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, 32);
            var withoutProof = $"c={B64("n,,")},r={fields["r"]}";
            _authMessage = ClientFirstBare + "," + serverFirst + "," + withoutProof;
            var clientKey = HMACSHA256.HashData(_saltedPassword, "Client Key"u8);
            var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes(_authMessage));
            var proof = new byte[32];
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = (byte)(clientKey[i] ^ signature[i]);
            }
            return withoutProof + ",p=" + Convert.ToBase64String(proof);
        }

        public string ExpectedServerSignature
            => Convert.ToBase64String(HMACSHA256.HashData(HMACSHA256.HashData(_saltedPassword, "Server Key"u8), Encoding.UTF8.GetBytes(_authMessage)));
    }
}

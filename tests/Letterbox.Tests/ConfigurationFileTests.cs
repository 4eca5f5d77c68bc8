using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using Letterbox.Commands;
using Letterbox.Configuration;
using Letterbox.Server;

namespace Letterbox.Tests;

/// <summary>The serve configuration file (docs/configuration.md): every key binds to the server options, flags win
/// over the file, and unknown keys or invalid values are errors that name the key.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "letterbox-config-" + Guid.NewGuid().ToString("N"));

    public ConfigurationFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json, string name = "letterbox.json")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static ParseResult Parse(params string[] args)
        => new RootCommand { CommonOptions.Data, ServeCommand.Create() }.Parse(args);

    /// <summary>The example in docs/configuration.md, so the documented file is always one that loads.</summary>
    private static string DocumentedExample()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Letterbox.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }
        var text = File.ReadAllText(Path.Combine(root, "docs", "configuration.md"));
        return Regex.Match(text, "```json\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
    }

    [Fact]
    public void The_documented_example_binds_every_key_to_the_server_options()
    {
        var json = DocumentedExample()
            .Replace("\"maxConnections\": 1000", "\"maxConnections\": 321", StringComparison.Ordinal)
            .Replace("\"sortCacheMessages\": 2000000", "\"sortCacheMessages\": 5000", StringComparison.Ordinal)
            .Replace("\"mmapMegabytes\": 2047", "\"mmapMegabytes\": 0.5", StringComparison.Ordinal)
            .Replace("\"maxLineLength\": 65536", "\"maxLineLength\": 4000", StringComparison.Ordinal)
            .Replace("\"maxAppendLiteralLength\": 67108864", "\"maxAppendLiteralLength\": 1000000", StringComparison.Ordinal)
            .Replace("\"plaintextAuth\": \"loopback\"", "\"plaintextAuth\": \"Never\"", StringComparison.Ordinal)
            .Replace("\"delayMilliseconds\": 300", "\"delayMilliseconds\": 250", StringComparison.Ordinal)
            .Replace("\"keepaliveSeconds\": 120", "\"keepaliveSeconds\": 90.5", StringComparison.Ordinal)
            .Replace("\"watch\": true", "\"watch\": false", StringComparison.Ordinal);
        var settings = ServeSettings.Load(Write(json));
        var options = settings.CreateOptions(null);

        Assert.Equal([new ImapEndpoint(new IPEndPoint(IPAddress.Loopback, 1143)), new ImapEndpoint(new IPEndPoint(IPAddress.Loopback, 1993), ImapEndpointKind.ImplicitTls)], options.Endpoints);
        Assert.Equal(PlaintextAuthPolicy.Never, options.PlaintextAuth);
        Assert.Equal(321, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TlsHandshakeTimeout);
        Assert.Equal("/etc/letsencrypt/live/mail.example.com/fullchain.pem", settings.Tls.Certificate);
        Assert.Equal("/etc/letsencrypt/live/mail.example.com/privkey.pem", settings.Tls.Key);
        Assert.Equal("mail.example.com", settings.Tls.Hostname);
        Assert.False(settings.Tls.Watch);
        Assert.Equal(2, settings.Tls.ReloadDelaySeconds);
        Assert.Equal(4000, options.Limits.MaxLineLength);
        Assert.Equal(64, options.Limits.MaxTagLength);
        Assert.Equal(1000000, options.Limits.MaxAppendLiteralLength);
        Assert.Equal(1 << 20, options.Limits.MaxCommandLength);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.LoginFailureDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxLoginFailureDelay);
        Assert.Equal(5, options.MaxLoginFailures);
        Assert.Equal(TimeSpan.Zero, options.IdlePollInterval);
        Assert.Equal(TimeSpan.FromMinutes(29), options.IdleTimeout);
        Assert.Equal(20, options.MaxUserConnections);
        Assert.Equal(5000, options.SortCacheMessages);
        Assert.Equal(512 * 1024, settings.Storage.CreateOptions().MmapSize);
        Assert.True(options.TcpKeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(300), options.TcpKeepAliveTime);
        Assert.Equal(TimeSpan.FromSeconds(90.5), options.IdleKeepaliveInterval);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, settings.Logging.LogLevel["Letterbox"]);
    }

    [Fact]
    public void An_empty_file_gives_the_defaults()
    {
        var options = ServeSettings.Load(Write("{}")).CreateOptions(null);
        var defaults = new ImapServerOptions();
        Assert.Equal(2, options.Endpoints.Count);
        Assert.Equal(defaults.MaxConnections, options.MaxConnections);
        Assert.Equal(defaults.PlaintextAuth, options.PlaintextAuth);
        Assert.Equal(defaults.LoginFailureDelay, options.LoginFailureDelay);
        Assert.Equal(defaults.Limits.MaxLineLength, options.Limits.MaxLineLength);
    }

    [Theory]
    [InlineData("""{ "maxConnection": 5 }""", "maxConnection")]
    [InlineData("""{ "tls": { "cert": "a.pem" } }""", "cert")]
    [InlineData("""{ "limits": { "maxLines": 5 } }""", "maxLines")]
    [InlineData("""{ "maxConnections": "many" }""", "maxConnections")]
    [InlineData("""{ "plaintextAuth": "sometimes" }""", "plaintextAuth")]
    [InlineData("""{ "tls": { "watch": "maybe" } }""", "watch")]
    [InlineData("""{ "maxConnections": 0 }""", "'maxConnections' must be greater than 0")]
    [InlineData("""{ "sortCacheMessages": 0 }""", "'sortCacheMessages' must be greater than 0")]
    [InlineData("""{ "storage": { "mmapMegabytes": -1 } }""", "'storage.mmapMegabytes' must be 0 or more")]
    [InlineData("""{ "loginFailures": { "delayMilliseconds": -1 } }""", "'loginFailures.delayMilliseconds' must be 0 or more")]
    [InlineData("""{ "limits": { "maxLineLength": 0 } }""", "'limits.maxLineLength' must be greater than 0")]
    [InlineData("""{ "imap": ["localhost"] }""", "invalid address 'localhost'")]
    [InlineData("""{ "tls": { "certificate": "a.pem" } }""", "'tls.certificate' and 'tls.key' go together")]
    [InlineData("""{ "imap": [ """, "not valid JSON")]
    public void Unknown_keys_and_invalid_values_are_errors_naming_the_file_and_the_key(string json, string expected)
    {
        var path = Write(json);
        var error = Assert.Throws<ConfigurationFileException>(() => ServeSettings.Load(path));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => ServeSettings.Load(Path.Combine(_directory, "none.json")));
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_override_the_file_key_by_key_and_listener_flags_replace_both_lists()
    {
        var path = Write("""
            { "imap": ["127.0.0.1:2143"], "imaps": ["127.0.0.1:2993"], "maxConnections": 50, "plaintextAuth": "never",
              "tls": { "hostname": "file.example.com" } }
            """, "custom.json");
        var fileOnly = ServeCommand.ResolveSettings(Parse("serve", "--config", path, "--data", _directory), _directory);
        Assert.Equal(50, fileOnly.MaxConnections);
        Assert.Equal(["127.0.0.1:2143"], fileOnly.Imap);

        var settings = ServeCommand.ResolveSettings(Parse("serve", "--config", path, "--data", _directory, "--max-connections", "7", "--max-user-connections", "3", "--imaps", "127.0.0.1:3993", "--hostname", "flag.example.com"), _directory);
        Assert.Equal(7, settings.MaxConnections);
        Assert.Equal(3, settings.MaxUserConnections);
        Assert.Equal(PlaintextAuthPolicy.Never, settings.PlaintextAuth); // not given as a flag: the file's
        Assert.Equal("flag.example.com", settings.Tls.Hostname);
        var endpoints = settings.Endpoints();
        Assert.Equal([new ImapEndpoint(new IPEndPoint(IPAddress.Loopback, 3993), ImapEndpointKind.ImplicitTls)], endpoints);

        var always = ServeCommand.ResolveSettings(Parse("serve", "--config", path, "--plaintext-auth", "always"), _directory);
        Assert.Equal(PlaintextAuthPolicy.Always, always.PlaintextAuth);
    }

    [Fact]
    public void Data_letterbox_json_is_read_when_no_config_is_given_and_flags_are_checked_like_the_file()
    {
        Write("""{ "maxConnections": 12 }""");
        Assert.Equal(12, ServeCommand.ResolveSettings(Parse("serve", "--data", _directory), _directory).MaxConnections);
        var empty = Path.Combine(_directory, "empty");
        Directory.CreateDirectory(empty);
        Assert.Null(ServeCommand.ResolveSettings(Parse("serve", "--data", empty), empty).MaxConnections);

        var error = Assert.Throws<ConfigurationFileException>(() => ServeCommand.ResolveSettings(Parse("serve", "--data", empty, "--imap", "nohost"), empty));
        Assert.Contains("invalid address 'nohost'", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ConfigurationFileException>(() => ServeCommand.ResolveSettings(Parse("serve", "--data", empty, "--tls-cert", "a.pem"), empty));
        Assert.Contains("go together", error.Message, StringComparison.Ordinal);
    }
}

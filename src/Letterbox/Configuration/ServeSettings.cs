using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Letterbox.Imap.Parsing;
using Letterbox.Server;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Letterbox.Configuration;

/// <summary>
/// The settings of <c>letterbox serve</c> as the configuration file (JSON, keys case-insensitive) holds them; every
/// key is documented in docs/configuration.md. A key left out keeps the built-in default; command-line flags override
/// the file (<see cref="Commands.ServeCommand"/> applies them). Durations carry their unit in the key name.
/// </summary>
internal sealed class ServeSettings
{
    /// <summary>The file <c>serve</c> reads from the data directory when <c>--config</c> is not given.</summary>
    public const string DefaultFileName = "letterbox.json";

    /// <summary>Cleartext listeners with STARTTLS, <c>HOST:PORT</c> each. With neither this nor <see cref="Imaps"/>:
    /// 127.0.0.1:1143 and 127.0.0.1:1993.</summary>
    public List<string>? Imap { get; set; }

    /// <summary>Implicit TLS listeners (RFC 8314), <c>HOST:PORT</c> each.</summary>
    public List<string>? Imaps { get; set; }

    /// <summary>Certificate and TLS settings.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>When passwords may be sent without TLS: never, loopback (default), always.</summary>
    public PlaintextAuthPolicy? PlaintextAuth { get; set; }

    /// <summary>Most simultaneous connections (default 1000).</summary>
    public int? MaxConnections { get; set; }

    /// <summary>Most logged-in sessions per user per remote address (default 20; 0 = no limit).</summary>
    public int? MaxUserConnections { get; set; }

    /// <summary>Most messages held by the SORT/THREAD cache over all mailboxes (default 2,000,000).</summary>
    public int? SortCacheMessages { get; set; }

    /// <summary>TCP keepalive on accepted sockets (default true).</summary>
    public bool? TcpKeepAlive { get; set; }

    /// <summary>Idle seconds before the first TCP keepalive probe (default 300).</summary>
    public double? TcpKeepAliveSeconds { get; set; }

    /// <summary>Seconds a stop lets commands in flight finish (default 10).</summary>
    public double? ShutdownTimeoutSeconds { get; set; }

    /// <summary>Request reader limits: every property of <see cref="ImapLimits"/>, in bytes or counts.</summary>
    public ImapLimits Limits { get; set; } = new();

    /// <summary>The delay after failed authentications and the per-connection limit.</summary>
    public LoginFailureSettings LoginFailures { get; set; } = new();

    /// <summary>IDLE (RFC 2177) timing.</summary>
    public IdleSettings Idle { get; set; } = new();

    /// <summary>Settings of the embedded store (letterbox.db).</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>Log levels per category, as <c>Logging:LogLevel</c> in .NET.</summary>
    public LoggingSettings Logging { get; set; } = new();

    /// <summary>
    /// Reads <paramref name="path"/>. Unknown keys, values of the wrong type and out-of-range values are errors.
    /// </summary>
    /// <exception cref="ConfigurationFileException">The file is missing, not JSON, or holds an invalid setting;
    /// the message names the file and the key.</exception>
    public static ServeSettings Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ConfigurationFileException($"Configuration file {fullPath} not found.");
        }
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(fullPath, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            throw new ConfigurationFileException($"Configuration file {fullPath} is not valid JSON: {Innermost(e).Message}");
        }
        var settings = new ServeSettings();
        try
        {
            configuration.Bind(settings, options => options.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationFileException($"Configuration file {fullPath}: {Describe(e)}");
        }
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationFileException($"Configuration file {fullPath}: {string.Join(" ", errors)}");
        }
        return settings;
    }

    /// <summary>Checks ranges and listener addresses; returns one sentence per problem, empty when all is well.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (key, values) in new[] { ("imap", Imap), ("imaps", Imaps) })
        {
            foreach (var text in values ?? [])
            {
                if (!TryParseEndpoint(text, out _))
                {
                    errors.Add($"'{key}': invalid address '{text}', expected HOST:PORT, e.g. 127.0.0.1:1143 or [::]:143.");
                }
            }
        }
        if ((Tls.Certificate is null) != (Tls.Key is null))
        {
            errors.Add("'tls.certificate' and 'tls.key' go together: give both, or neither for a self-signed certificate.");
        }
        Positive(errors, "maxConnections", MaxConnections);
        NonNegative(errors, "maxUserConnections", MaxUserConnections);
        Positive(errors, "tcpKeepAliveSeconds", TcpKeepAliveSeconds);
        NonNegative(errors, "shutdownTimeoutSeconds", ShutdownTimeoutSeconds);
        NonNegative(errors, "tls.reloadDelaySeconds", Tls.ReloadDelaySeconds);
        Positive(errors, "tls.handshakeTimeoutSeconds", Tls.HandshakeTimeoutSeconds);
        NonNegative(errors, "loginFailures.delayMilliseconds", LoginFailures.DelayMilliseconds);
        NonNegative(errors, "loginFailures.maxDelaySeconds", LoginFailures.MaxDelaySeconds);
        Positive(errors, "loginFailures.maxPerConnection", LoginFailures.MaxPerConnection);
        Positive(errors, "loginFailures.windowMinutes", LoginFailures.WindowMinutes);
        NonNegative(errors, "idle.pollIntervalMilliseconds", Idle.PollIntervalMilliseconds);
        NonNegative(errors, "idle.timeoutMinutes", Idle.TimeoutMinutes);
        Positive(errors, "idle.keepaliveSeconds", Idle.KeepaliveSeconds);
        Positive(errors, "sortCacheMessages", SortCacheMessages);
        NonNegative(errors, "storage.mmapMegabytes", Storage.MmapMegabytes);
        Positive(errors, "limits.maxLineLength", Limits.MaxLineLength);
        Positive(errors, "limits.maxTagLength", Limits.MaxTagLength);
        Positive(errors, "limits.maxInlineLiteralLength", Limits.MaxInlineLiteralLength);
        Positive(errors, "limits.maxCommandLength", Limits.MaxCommandLength);
        Positive(errors, "limits.maxAppendLiteralLength", Limits.MaxAppendLiteralLength);
        Positive(errors, "limits.maxNestingDepth", Limits.MaxNestingDepth);
        Positive(errors, "limits.maxSequenceSetRanges", Limits.MaxSequenceSetRanges);
        return errors;
    }

    /// <summary>The listeners: <see cref="Imap"/> as plain and <see cref="Imaps"/> as implicit TLS endpoints, or the
    /// defaults when both are empty. Call after <see cref="Validate"/>.</summary>
    public List<ImapEndpoint> Endpoints()
    {
        var plain = Imap ?? [];
        var tls = Imaps ?? [];
        if (plain.Count == 0 && tls.Count == 0)
        {
            plain = ["127.0.0.1:1143"];
            tls = ["127.0.0.1:1993"];
        }
        var endpoints = new List<ImapEndpoint>();
        foreach (var text in plain)
        {
            endpoints.Add(new ImapEndpoint(ParseEndpoint(text), ImapEndpointKind.Plain));
        }
        foreach (var text in tls)
        {
            endpoints.Add(new ImapEndpoint(ParseEndpoint(text), ImapEndpointKind.ImplicitTls));
        }
        return endpoints;
    }

    /// <summary>The server options these settings give, with <paramref name="certificates"/> for TLS; defaults
    /// (see <see cref="ImapServerOptions"/>) where a key is absent.</summary>
    public ImapServerOptions CreateOptions(TlsCertificateSource? certificates)
    {
        var defaults = new ImapServerOptions();
        return new ImapServerOptions
        {
            Endpoints = Endpoints(),
            CertificateSource = certificates,
            PlaintextAuth = PlaintextAuth ?? defaults.PlaintextAuth,
            MaxConnections = MaxConnections ?? defaults.MaxConnections,
            MaxUserConnections = MaxUserConnections ?? defaults.MaxUserConnections,
            SortCacheMessages = SortCacheMessages ?? defaults.SortCacheMessages,
            TcpKeepAlive = TcpKeepAlive ?? defaults.TcpKeepAlive,
            TcpKeepAliveTime = Seconds(TcpKeepAliveSeconds) ?? defaults.TcpKeepAliveTime,
            TlsHandshakeTimeout = Seconds(Tls.HandshakeTimeoutSeconds) ?? defaults.TlsHandshakeTimeout,
            ShutdownTimeout = Seconds(ShutdownTimeoutSeconds) ?? defaults.ShutdownTimeout,
            Limits = Limits,
            LoginFailureDelay = LoginFailures.DelayMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : defaults.LoginFailureDelay,
            MaxLoginFailureDelay = Seconds(LoginFailures.MaxDelaySeconds) ?? defaults.MaxLoginFailureDelay,
            MaxLoginFailures = LoginFailures.MaxPerConnection ?? defaults.MaxLoginFailures,
            LoginFailures = LoginFailures.WindowMinutes is { } minutes ? new Server.Imap.LoginFailureTracker(TimeSpan.FromMinutes(minutes)) : defaults.LoginFailures,
            IdlePollInterval = Idle.PollIntervalMilliseconds is { } poll ? TimeSpan.FromMilliseconds(poll) : defaults.IdlePollInterval,
            IdleKeepaliveInterval = Seconds(Idle.KeepaliveSeconds) ?? defaults.IdleKeepaliveInterval,
            IdleTimeout = Idle.TimeoutMinutes is { } idleMinutes ? TimeSpan.FromMinutes(idleMinutes) : defaults.IdleTimeout,
        };
    }

    /// <summary>Parses <c>HOST:PORT</c> (IPv6 in brackets); a port is required.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
        => IPEndPoint.TryParse(text, out endpoint!) && text.Contains(':', StringComparison.Ordinal);

    private static IPEndPoint ParseEndpoint(string text) => TryParseEndpoint(text, out var endpoint) ? endpoint : throw new FormatException(text);

    private static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    private static void Positive(List<string> errors, string key, double? value)
    {
        if (value is { } v && !(v > 0))
        {
            errors.Add($"'{key}' must be greater than 0 (is {v.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    private static void NonNegative(List<string> errors, string key, double? value)
    {
        if (value is { } v && !(v >= 0))
        {
            errors.Add($"'{key}' must be 0 or more (is {v.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>The binder's message in the file's terms: unknown keys with their section, conversion failures with
    /// the expected kind of value.</summary>
    private static string Describe(InvalidOperationException e)
    {
        var unknown = Regex.Match(e.Message, @"not found on the instance of [\w.]*?(\w+): (.*)$");
        if (unknown.Success)
        {
            var section = unknown.Groups[1].Value switch
            {
                nameof(TlsSettings) => "in 'tls' ",
                nameof(ImapLimits) => "in 'limits' ",
                nameof(LoginFailureSettings) => "in 'loginFailures' ",
                nameof(IdleSettings) => "in 'idle' ",
                nameof(LoggingSettings) => "in 'logging' ",
                _ => "",
            };
            return $"unknown key {unknown.Groups[2].Value} {section}(docs/configuration.md lists every key).";
        }
        var message = e.Message
            .Replace("'System.Int32'", "a whole number", StringComparison.Ordinal)
            .Replace("'System.Int64'", "a whole number", StringComparison.Ordinal)
            .Replace("'System.Double'", "a number", StringComparison.Ordinal)
            .Replace("'System.Boolean'", "true or false", StringComparison.Ordinal)
            .Replace("'Letterbox.Server.PlaintextAuthPolicy'", "one of never, loopback, always", StringComparison.Ordinal)
            .Replace("'Microsoft.Extensions.Logging.LogLevel'", "one of Trace, Debug, Information, Warning, Error, Critical, None", StringComparison.Ordinal);
        return message.Replace(" to type ", ": expected ", StringComparison.Ordinal);
    }
}

/// <summary>The <c>tls</c> section.</summary>
internal sealed class TlsSettings
{
    /// <summary>PEM certificate (chain), e.g. certbot's fullchain.pem. Default: self-signed in DATA/tls.</summary>
    public string? Certificate { get; set; }

    /// <summary>PEM private key of <see cref="Certificate"/>.</summary>
    public string? Key { get; set; }

    /// <summary>Host name of the self-signed certificate (default: the machine's name).</summary>
    public string? Hostname { get; set; }

    /// <summary>Reload the certificate when its files change (default true; SIGHUP always reloads).</summary>
    public bool? Watch { get; set; }

    /// <summary>Quiet seconds after the last change before the files are read (default 2).</summary>
    public double? ReloadDelaySeconds { get; set; }

    /// <summary>Seconds a client has to finish the TLS handshake (default 30).</summary>
    public double? HandshakeTimeoutSeconds { get; set; }
}

/// <summary>The <c>loginFailures</c> section (see docs/tls.md "Failed logins").</summary>
internal sealed class LoginFailureSettings
{
    /// <summary>Delay per failure in milliseconds (default 300; 0 turns the delay off).</summary>
    public double? DelayMilliseconds { get; set; }

    /// <summary>Longest delay in seconds (default 10).</summary>
    public double? MaxDelaySeconds { get; set; }

    /// <summary>Failures after which the connection is closed (default 5).</summary>
    public int? MaxPerConnection { get; set; }

    /// <summary>Minutes an address's failures are remembered after its last one (default 15).</summary>
    public double? WindowMinutes { get; set; }
}

/// <summary>The <c>idle</c> section (RFC 2177).</summary>
internal sealed class IdleSettings
{
    /// <summary>Safety-net re-read of an IDLE session's mailbox without a change notification, in milliseconds
    /// (default 0 = off: IDLE is pushed by the change feed).</summary>
    public double? PollIntervalMilliseconds { get; set; }

    /// <summary>Minutes one IDLE may last before the server ends the connection (default 29; 0 = never).</summary>
    public double? TimeoutMinutes { get; set; }

    /// <summary>Seconds between <c>* OK Still here</c> keepalives during IDLE (default 120).</summary>
    public double? KeepaliveSeconds { get; set; }
}

/// <summary>The <c>storage</c> section: settings of the embedded SQLite store.</summary>
internal sealed class StorageSettings
{
    /// <summary>MiB of letterbox.db read through memory-mapped I/O (default 2047, SQLite's cap; 0 = plain reads).
    /// See <see cref="SqliteStoreOptions.MmapSize"/>.</summary>
    public double? MmapMegabytes { get; set; }

    /// <summary>The store options these settings give; defaults where a key is absent.</summary>
    public SqliteStoreOptions CreateOptions()
    {
        var defaults = new SqliteStoreOptions();
        return new SqliteStoreOptions
        {
            MmapSize = MmapMegabytes is { } mib ? (long)Math.Min(mib * 1024 * 1024, defaults.MmapSize) : defaults.MmapSize,
        };
    }
}

/// <summary>The <c>logging</c> section: <c>logLevel</c> maps a category prefix (<c>Default</c>, <c>Letterbox</c>,
/// <c>Letterbox.Tls</c>, …) to Trace, Debug, Information, Warning, Error, Critical or None.</summary>
internal sealed class LoggingSettings
{
    /// <summary>Level per category.</summary>
    public Dictionary<string, Microsoft.Extensions.Logging.LogLevel> LogLevel { get; set; } = [];
}

/// <summary>A configuration file that cannot be used; the message says which file, which key and why.</summary>
internal sealed class ConfigurationFileException(string message) : Exception(message);

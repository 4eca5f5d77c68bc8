using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using Letterbox.Configuration;
using Letterbox.Server;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Letterbox.Commands;

/// <summary>
/// <c>letterbox serve [--data DIR] [--config FILE] [--imap HOST:PORT]... [--imaps HOST:PORT]... [--tls-cert PEM
/// --tls-key PEM] [--plaintext-auth never|loopback|always] [--max-connections N] [--max-user-connections N]</c>: runs the IMAP server until
/// Ctrl-C/SIGTERM; SIGHUP reloads the TLS certificate. Settings come from the configuration file (<c>--config</c>,
/// else <c>DATA/letterbox.json</c> if present; docs/configuration.md), then the flags, which win. Without listeners
/// it listens on 127.0.0.1:1143 (STARTTLS) and 127.0.0.1:1993 (implicit TLS); naming --imap or --imaps gives exactly
/// the listeners named. See docs/tls.md.
/// </summary>
internal static class ServeCommand
{
    /// <summary><c>--config FILE</c>.</summary>
    public static readonly Option<string> Config = new("--config")
    {
        Description = $"JSON configuration file (docs/configuration.md). Default: DATA/{ServeSettings.DefaultFileName} if it exists. Flags override it.",
        HelpName = "FILE",
    };

    /// <summary><c>--imap HOST:PORT</c>, repeatable.</summary>
    public static readonly Option<string[]> Imap = new("--imap")
    {
        Description = "Cleartext IMAP listen address with STARTTLS, HOST:PORT, repeatable. Without --imap and --imaps (here or in the configuration file): 127.0.0.1:1143 and --imaps 127.0.0.1:1993.",
        HelpName = "HOST:PORT",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary><c>--imaps HOST:PORT</c>, repeatable.</summary>
    public static readonly Option<string[]> Imaps = new("--imaps")
    {
        Description = "Implicit TLS (IMAPS, RFC 8314) listen address HOST:PORT, repeatable.",
        HelpName = "HOST:PORT",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary><c>--tls-cert PEM</c>.</summary>
    public static readonly Option<string> TlsCert = new("--tls-cert")
    {
        Description = "PEM certificate (chain), e.g. /etc/letsencrypt/live/HOST/fullchain.pem. Default: a self-signed certificate in DATA/tls. Reloaded on SIGHUP and when the file changes.",
        HelpName = "PEM",
    };

    /// <summary><c>--tls-key PEM</c>.</summary>
    public static readonly Option<string> TlsKey = new("--tls-key")
    {
        Description = "PEM private key (RSA or ECDSA) of --tls-cert, e.g. /etc/letsencrypt/live/HOST/privkey.pem.",
        HelpName = "PEM",
    };

    /// <summary><c>--hostname NAME</c>.</summary>
    public static readonly Option<string> HostName = new("--hostname")
    {
        Description = "Host name for the self-signed certificate (default: this machine's name).",
        HelpName = "NAME",
    };

    /// <summary><c>--plaintext-auth never|loopback|always</c>.</summary>
    public static readonly Option<PlaintextAuthPolicy> PlaintextAuth = new("--plaintext-auth")
    {
        Description = "When passwords may be sent without TLS: never, loopback (only from 127.0.0.0/8 and ::1; the default), always.",
    };

    /// <summary><c>--max-connections N</c>.</summary>
    public static readonly Option<int> MaxConnections = new("--max-connections")
    {
        Description = "Most simultaneous connections; further ones get * BYE [UNAVAILABLE] (default 1000).",
        HelpName = "N",
    };

    /// <summary><c>--max-user-connections N</c>.</summary>
    public static readonly Option<int> MaxUserConnections = new("--max-user-connections")
    {
        Description = "Most logged-in sessions per user per remote address; further logins get NO [LIMIT] (default 20, 0 = no limit).",
        HelpName = "N",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the IMAP server.") { Config, Imap, Imaps, TlsCert, TlsKey, HostName, PlaintextAuth, MaxConnections, MaxUserConnections };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var dataDirectory = Path.GetFullPath(parseResult.GetValue(CommonOptions.Data)!);
            ServeSettings settings;
            try
            {
                settings = ResolveSettings(parseResult, dataDirectory);
            }
            catch (ConfigurationFileException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            TlsCertificateSource certificates;
            try
            {
                certificates = LoadCertificate(settings, dataDirectory);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Cannot load the TLS certificate: {e.Message}. Check the --tls-cert/--tls-key paths (or tls.certificate/tls.key) and that both are PEM files of one key pair.");
                return 1;
            }
            var options = settings.CreateOptions(certificates);
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken, settings.Storage.CreateOptions());
            var builder = Host.CreateApplicationBuilder();
            foreach (var (category, level) in settings.Logging.LogLevel)
            {
                builder.Logging.AddFilter(category == "Default" ? null : category, level);
            }
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<ImapHostedService>();
            builder.Services.AddHostedService<StoreCatchUp>();
            using var host = builder.Build();
            var delay = settings.Tls.ReloadDelaySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : CertificateReload.DefaultDelay;
            using (certificates)
            using (CertificateReload.Start(certificates, host.Services.GetRequiredService<ILoggerFactory>(), settings.Tls.Watch ?? true, delay))
            {
                await host.RunAsync(cancellationToken);
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The settings of this run: the configuration file (<c>--config</c>, else <c>DATA/letterbox.json</c> when it
    /// exists, else none), then every flag given on the command line in its place. Naming --imap or --imaps replaces
    /// both listener lists of the file.
    /// </summary>
    /// <exception cref="ConfigurationFileException">The file or a flag value is invalid.</exception>
    public static ServeSettings ResolveSettings(ParseResult parseResult, string dataDirectory)
    {
        var path = parseResult.GetValue(Config);
        if (path is null && File.Exists(Path.Combine(dataDirectory, ServeSettings.DefaultFileName)))
        {
            path = Path.Combine(dataDirectory, ServeSettings.DefaultFileName);
        }
        var settings = path is null ? new ServeSettings() : ServeSettings.Load(path);
        if (Given(parseResult, Imap) || Given(parseResult, Imaps))
        {
            settings.Imap = [.. parseResult.GetValue(Imap) ?? []];
            settings.Imaps = [.. parseResult.GetValue(Imaps) ?? []];
        }
        if (Given(parseResult, TlsCert) || Given(parseResult, TlsKey))
        {
            settings.Tls.Certificate = parseResult.GetValue(TlsCert);
            settings.Tls.Key = parseResult.GetValue(TlsKey);
        }
        if (Given(parseResult, HostName))
        {
            settings.Tls.Hostname = parseResult.GetValue(HostName);
        }
        if (Given(parseResult, PlaintextAuth))
        {
            settings.PlaintextAuth = parseResult.GetValue(PlaintextAuth);
        }
        if (Given(parseResult, MaxConnections))
        {
            settings.MaxConnections = parseResult.GetValue(MaxConnections);
        }
        if (Given(parseResult, MaxUserConnections))
        {
            settings.MaxUserConnections = parseResult.GetValue(MaxUserConnections);
        }
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationFileException(string.Join(" ", errors) + (path is null ? "" : $" (settings from {Path.GetFullPath(path)} and the command line)"));
        }
        return settings;
    }

    private static bool Given(ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };

    /// <summary>The PEM pair of the settings, or the self-signed certificate in DATA/tls (created on first use).</summary>
    private static TlsCertificateSource LoadCertificate(ServeSettings settings, string dataDirectory)
    {
        if (settings.Tls.Certificate is { } certificatePath)
        {
            var certificates = TlsCertificateSource.FromPemFiles(certificatePath, settings.Tls.Key!);
            var certificate = certificates.Current.Certificate;
            Console.WriteLine($"TLS certificate {certificate.Subject} from {certificatePath}, valid until {certificate.NotAfter:yyyy-MM-dd}, SHA-256 {certificates.Current.Sha256Fingerprint}");
            return certificates;
        }
        var name = settings.Tls.Hostname ?? Dns.GetHostName();
        var directory = Path.Combine(dataDirectory, "tls");
        using var selfSigned = TlsCertificates.LoadOrCreateSelfSigned(directory, name, out var created);
        var source = TlsCertificateSource.FromPemFiles(Path.Combine(directory, TlsCertificates.SelfSignedCertificateFile), Path.Combine(directory, TlsCertificates.SelfSignedKeyFile));
        Console.WriteLine($"{(created ? "Created a self-signed" : "Using the self-signed")} TLS certificate {selfSigned.Subject} in {directory}, SHA-256 {source.Current.Sha256Fingerprint}");
        return source;
    }

    /// <summary>Starts and gracefully stops <see cref="ImapServer"/> with the host.</summary>
    private sealed class ImapHostedService(SqliteMailStore store, ImapServerOptions options, ILoggerFactory loggerFactory) : IHostedService
    {
        private readonly ImapServer _server = new(store, options, loggerFactory);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await _server.StartAsync(cancellationToken);
            for (var i = 0; i < _server.BoundEndPoints.Count; i++)
            {
                var kind = options.Endpoints[i].Kind == ImapEndpointKind.ImplicitTls ? "IMAPS (implicit TLS)" : "IMAP (STARTTLS)";
                Console.WriteLine($"Letterbox {kind} listening on {_server.BoundEndPoints[i]} (data: {store.DataDirectory}, plaintext auth: {options.PlaintextAuth.ToString().ToLowerInvariant()})");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);
    }
}

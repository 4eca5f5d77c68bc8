using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Letterbox.Server;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Letterbox.Commands;

/// <summary>
/// <c>letterbox serve [--data DIR] [--imap HOST:PORT]... [--imaps HOST:PORT]... [--tls-cert PEM --tls-key PEM]
/// [--plaintext-auth never|loopback|always]</c>: runs the IMAP server until Ctrl-C/SIGTERM. Without --imap and
/// --imaps it listens on 127.0.0.1:1143 (STARTTLS) and 127.0.0.1:1993 (implicit TLS); naming either option gives
/// exactly the listeners named. See docs/tls.md.
/// </summary>
internal static class ServeCommand
{
    private const string DefaultImap = "127.0.0.1:1143";
    private const string DefaultImaps = "127.0.0.1:1993";

    public static Command Create()
    {
        var imap = new Option<string[]>("--imap")
        {
            Description = $"Cleartext IMAP listen address with STARTTLS, HOST:PORT, repeatable. Without --imap and --imaps: {DefaultImap} and --imaps {DefaultImaps}.",
            HelpName = "HOST:PORT",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var imaps = new Option<string[]>("--imaps")
        {
            Description = "Implicit TLS (IMAPS, RFC 8314) listen address HOST:PORT, repeatable.",
            HelpName = "HOST:PORT",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var tlsCert = new Option<string>("--tls-cert")
        {
            Description = "PEM certificate (chain), e.g. /etc/letsencrypt/live/HOST/fullchain.pem. Default: a self-signed certificate in DATA/tls.",
            HelpName = "PEM",
        };
        var tlsKey = new Option<string>("--tls-key")
        {
            Description = "PEM private key (RSA or ECDSA) of --tls-cert, e.g. /etc/letsencrypt/live/HOST/privkey.pem.",
            HelpName = "PEM",
        };
        var hostName = new Option<string>("--hostname")
        {
            Description = "Host name for the self-signed certificate (default: this machine's name).",
            HelpName = "NAME",
        };
        var plaintext = new Option<PlaintextAuthPolicy>("--plaintext-auth")
        {
            Description = "When passwords may be sent without TLS: never, loopback (only from 127.0.0.0/8 and ::1), always.",
            DefaultValueFactory = _ => PlaintextAuthPolicy.Loopback,
        };
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = "Most simultaneous connections; further ones get * BYE [UNAVAILABLE] (default 1000).",
            DefaultValueFactory = _ => 1000,
        };
        var maxUserConnections = new Option<int>("--max-user-connections")
        {
            Description = "Most logged-in sessions per user per remote address; further logins get NO [LIMIT] (default 20, 0 = no limit).",
            DefaultValueFactory = _ => 20,
        };
        var command = new Command("serve", "Run the IMAP server.") { imap, imaps, tlsCert, tlsKey, hostName, plaintext, maxConnections, maxUserConnections };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var endpoints = new List<ImapEndpoint>();
            var plainValues = parseResult.GetValue(imap) ?? [];
            var tlsValues = parseResult.GetValue(imaps) ?? [];
            if (plainValues.Length == 0 && tlsValues.Length == 0)
            {
                plainValues = [DefaultImap];
                tlsValues = [DefaultImaps];
            }
            if (!AddEndpoints(endpoints, plainValues, ImapEndpointKind.Plain, "--imap")
                || !AddEndpoints(endpoints, tlsValues, ImapEndpointKind.ImplicitTls, "--imaps"))
            {
                return 2;
            }
            var dataDirectory = Path.GetFullPath(parseResult.GetValue(CommonOptions.Data)!);
            var certificatePath = parseResult.GetValue(tlsCert);
            var keyPath = parseResult.GetValue(tlsKey);
            if ((certificatePath is null) != (keyPath is null))
            {
                await Console.Error.WriteLineAsync("--tls-cert and --tls-key go together: give both, or neither for a self-signed certificate.");
                return 2;
            }
            TlsCertificateSource certificates;
            try
            {
                if (certificatePath is not null)
                {
                    certificates = TlsCertificateSource.FromPemFiles(certificatePath, keyPath!);
                    var certificate = certificates.Current.Certificate;
                    Console.WriteLine($"TLS certificate {certificate.Subject} from {certificatePath}, valid until {certificate.NotAfter:yyyy-MM-dd}, SHA-256 {certificates.Current.Sha256Fingerprint}");
                }
                else
                {
                    var name = parseResult.GetValue(hostName) ?? Dns.GetHostName();
                    var directory = Path.Combine(dataDirectory, "tls");
                    using var selfSigned = TlsCertificates.LoadOrCreateSelfSigned(directory, name, out var created);
                    certificates = TlsCertificateSource.FromPemFiles(Path.Combine(directory, TlsCertificates.SelfSignedCertificateFile), Path.Combine(directory, TlsCertificates.SelfSignedKeyFile));
                    Console.WriteLine($"{(created ? "Created a self-signed" : "Using the self-signed")} TLS certificate {selfSigned.Subject} in {directory}, SHA-256 {certificates.Current.Sha256Fingerprint}");
                }
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"Cannot load the TLS certificate: {e.Message}. Check the --tls-cert/--tls-key paths and that both are PEM files of one key pair.");
                return 1;
            }
            var options = new ImapServerOptions
            {
                Endpoints = endpoints,
                CertificateSource = certificates,
                PlaintextAuth = parseResult.GetValue(plaintext),
                MaxConnections = Math.Max(1, parseResult.GetValue(maxConnections)),
                MaxUserConnections = parseResult.GetValue(maxUserConnections),
            };
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<ImapHostedService>();
            using var host = builder.Build();
            using (certificates)
            using (CertificateReload.Start(certificates, host.Services.GetRequiredService<ILoggerFactory>(), watch: true))
            {
                await host.RunAsync(cancellationToken);
            }
            return 0;
        });
        return command;
    }

    private static bool AddEndpoints(List<ImapEndpoint> endpoints, string[] values, ImapEndpointKind kind, string optionName)
    {
        foreach (var text in values)
        {
            if (!IPEndPoint.TryParse(text, out var endpoint) || text.IndexOf(':', StringComparison.Ordinal) < 0)
            {
                Console.Error.WriteLine($"Invalid {optionName} address '{text}': expected HOST:PORT, e.g. 127.0.0.1:1143 or [::]:143.");
                return false;
            }
            endpoints.Add(new ImapEndpoint(endpoint, kind));
        }
        return true;
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

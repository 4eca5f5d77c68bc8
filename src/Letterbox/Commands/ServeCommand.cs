using System.CommandLine;
using System.Net;
using Letterbox.Server;
using Letterbox.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Letterbox.Commands;

/// <summary><c>letterbox serve [--data DIR] [--imap HOST:PORT]...</c>: runs the IMAP server until Ctrl-C/SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var imap = new Option<string[]>("--imap")
        {
            Description = "IMAP listen address HOST:PORT, repeatable (default 127.0.0.1:1143). Plaintext: keep it on loopback until TLS exists.",
            HelpName = "HOST:PORT",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("serve", "Run the IMAP server.") { imap };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var endpoints = new List<IPEndPoint>();
            foreach (var text in parseResult.GetValue(imap) ?? [])
            {
                if (!IPEndPoint.TryParse(text, out var endpoint) || text.IndexOf(':', StringComparison.Ordinal) < 0)
                {
                    await Console.Error.WriteLineAsync($"Invalid --imap address '{text}': expected HOST:PORT, e.g. 127.0.0.1:1143 or [::]:143.");
                    return 2;
                }
                endpoints.Add(endpoint);
            }
            var options = endpoints.Count == 0 ? new ImapServerOptions() : new ImapServerOptions { Endpoints = endpoints };
            await using var store = await CommonOptions.OpenStoreAsync(parseResult, cancellationToken);
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<ImapHostedService>();
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Starts and gracefully stops <see cref="ImapServer"/> with the host.</summary>
    private sealed class ImapHostedService(SqliteMailStore store, ImapServerOptions options, ILoggerFactory loggerFactory) : IHostedService
    {
        private readonly ImapServer _server = new(store, options, loggerFactory);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await _server.StartAsync(cancellationToken);
            foreach (var endpoint in _server.BoundEndPoints)
            {
                Console.WriteLine($"Letterbox IMAP listening on {endpoint} (data: {store.DataDirectory})");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => _server.StopAsync(cancellationToken);
    }
}

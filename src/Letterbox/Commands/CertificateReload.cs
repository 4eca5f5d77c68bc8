using System.Runtime.InteropServices;
using Letterbox.Server;
using Microsoft.Extensions.Logging;

namespace Letterbox.Commands;

/// <summary>
/// How <c>serve</c> reloads its TLS certificate without a restart: on SIGHUP (<c>kill -HUP PID</c>,
/// <c>systemctl reload</c>) and, with <c>watch</c>, when the files change (<see cref="TlsCertificateSource.Watch"/>).
/// </summary>
internal static class CertificateReload
{
    /// <summary>Default quiet time after the last change in the watched directories before the files are read.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(2);

    /// <summary>Logs reloads through <paramref name="loggerFactory"/>, registers the SIGHUP handler (not on Windows)
    /// and starts watching; dispose to unregister.</summary>
    public static IDisposable Start(TlsCertificateSource certificates, ILoggerFactory loggerFactory, bool watch, TimeSpan? delay = null)
    {
        certificates.Logger = loggerFactory.CreateLogger("Letterbox.Tls");
        if (watch)
        {
            certificates.Watch(delay ?? DefaultDelay);
        }
        if (OperatingSystem.IsWindows())
        {
            return certificates;
        }
        return PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP would end the process otherwise
            certificates.Logger.LogInformation("SIGHUP: reading the TLS certificate from {Certificate}", certificates.CertificatePath);
            certificates.Reload();
        });
    }
}

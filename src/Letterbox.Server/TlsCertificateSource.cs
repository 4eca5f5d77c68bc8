using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Letterbox.Server;

/// <summary>
/// One server certificate as a TLS handshake uses it: the certificate with its key, the chain sent with it, the
/// prepared <see cref="SslStreamCertificateContext"/>, and its <c>tls-server-end-point</c> channel binding. Immutable;
/// a connection keeps the identity its handshake used, whatever is reloaded later.
/// </summary>
public sealed class TlsIdentity
{
    private readonly Lazy<byte[]?> _serverEndPoint;

    /// <summary>Prepares <paramref name="certificate"/> (with its private key) and <paramref name="chain"/> for
    /// handshakes (the chain is not fetched from the network).</summary>
    public TlsIdentity(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        Certificate = certificate;
        Chain = chain ?? [];
        Context = SslStreamCertificateContext.Create(certificate, Chain, offline: true);
        Sha256Fingerprint = TlsCertificates.Sha256Fingerprint(certificate);
        _serverEndPoint = new Lazy<byte[]?>(() => ChannelBinding.ServerEndPoint(certificate));
    }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent with <see cref="Certificate"/>.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>What <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/> gets.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>SHA-256 of the certificate as colon-separated hex (<see cref="TlsCertificates.Sha256Fingerprint"/>).</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>The <c>tls-server-end-point</c> channel binding data (RFC 5929 §4) for SCRAM-SHA-256-PLUS, or null
    /// when the signature algorithm has none (see <see cref="ChannelBinding.ServerEndPoint"/>).</summary>
    public byte[]? ServerEndPoint => _serverEndPoint.Value;
}

/// <summary>
/// Where the server's TLS certificate comes from: fixed (<see cref="Fixed"/>), or PEM files
/// (<see cref="FromPemFiles"/>) that are read again on <see cref="Reload"/> (the <c>serve</c> command calls it on
/// SIGHUP) and, after <see cref="Watch"/>, whenever something changes in their directories (debounced), e.g. when
/// certbot swaps the symbolic links in <c>live/</c>. Only new handshakes use a reloaded certificate; connections keep
/// theirs. A pair that does not load (half-written, not PEM, key not matching the certificate) is refused: the old
/// certificate stays in use and the error is logged.
/// </summary>
/// <remarks>RFC 8314 §5 (certificates for implicit TLS and STARTTLS). Thread-safe.</remarks>
public sealed class TlsCertificateSource : IDisposable
{
    private readonly object _reloadGate = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private Timer? _debounce;
    private TimeSpan _debounceDelay;
    private TlsIdentity _current;
    private long _reloadCount;
    private long _failedReloadCount;
    private bool _disposed;

    private TlsCertificateSource(TlsIdentity identity, string? certificatePath, string? keyPath, ILogger? logger)
    {
        _current = identity;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        Logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A certificate that never changes (<see cref="Reload"/> does nothing).</summary>
    public static TlsCertificateSource Fixed(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
        => new(new TlsIdentity(certificate, chain), null, null, null);

    /// <summary>Loads the PEM pair now (see <see cref="TlsCertificates.LoadPem"/>) and remembers the paths for
    /// <see cref="Reload"/>.</summary>
    /// <param name="certificatePath">PEM certificate, then its chain (a fullchain.pem).</param>
    /// <param name="keyPath">PEM private key (RSA or ECDSA; PKCS#1, PKCS#8 or SEC1).</param>
    /// <param name="logger">Receives reloads (information, with the new fingerprint) and refused pairs (error).</param>
    /// <exception cref="CryptographicException">A file is not PEM or the key does not match.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static TlsCertificateSource FromPemFiles(string certificatePath, string keyPath, ILogger? logger = null)
    {
        var (certificate, chain) = TlsCertificates.LoadPem(certificatePath, keyPath);
        return new(new TlsIdentity(certificate, chain), Path.GetFullPath(certificatePath), Path.GetFullPath(keyPath), logger);
    }

    /// <summary>Receives reloads (information, with the new fingerprint) and refused pairs (error).</summary>
    public ILogger Logger { get; set; }

    /// <summary>The certificate new handshakes use now.</summary>
    public TlsIdentity Current => Volatile.Read(ref _current);

    /// <summary>The certificate file, or null for a fixed certificate.</summary>
    public string? CertificatePath { get; }

    /// <summary>The private key file, or null for a fixed certificate.</summary>
    public string? KeyPath { get; }

    /// <summary>How many times a reload put a different certificate in use.</summary>
    public long ReloadCount => Interlocked.Read(ref _reloadCount);

    /// <summary>How many reloads were refused because the files did not load.</summary>
    public long FailedReloadCount => Interlocked.Read(ref _failedReloadCount);

    /// <summary>Raised (on the reloading thread) after a reload put a new certificate in use.</summary>
    public event Action<TlsIdentity>? Reloaded;

    /// <summary>Raised (on the reloading thread) when the files did not load; the old certificate stays.</summary>
    public event Action<Exception>? ReloadFailed;

    /// <summary>
    /// Reads the PEM files again. Returns true when a different certificate is now in use (logged with its SHA-256
    /// fingerprint), false when the files hold the current one, could not be loaded (logged as an error, old
    /// certificate kept), or the source is fixed. Never throws for bad files.
    /// </summary>
    public bool Reload()
    {
        if (CertificatePath is null || KeyPath is null)
        {
            return false;
        }
        lock (_reloadGate)
        {
            var old = Current;
            TlsIdentity loaded;
            try
            {
                var (certificate, chain) = TlsCertificates.LoadPem(CertificatePath, KeyPath);
                if (certificate.RawDataMemory.Span.SequenceEqual(old.Certificate.RawDataMemory.Span) && SameChain(chain, old.Chain))
                {
                    certificate.Dispose();
                    Logger.LogDebug("TLS certificate files {Certificate} unchanged (SHA-256 {Fingerprint})", CertificatePath, old.Sha256Fingerprint);
                    return false;
                }
                loaded = new TlsIdentity(certificate, chain);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                Interlocked.Increment(ref _failedReloadCount);
                Logger.LogError("Cannot reload the TLS certificate from {Certificate} and {Key}: {Message}. Still using the certificate with SHA-256 {Fingerprint}; fix the files (a PEM certificate and its matching key) and they are read again.",
                    CertificatePath, KeyPath, e.Message, old.Sha256Fingerprint);
                ReloadFailed?.Invoke(e);
                return false;
            }
            Volatile.Write(ref _current, loaded);
            Interlocked.Increment(ref _reloadCount);
            Logger.LogInformation("Reloaded the TLS certificate {Subject} from {Certificate}, valid until {NotAfter:yyyy-MM-dd}, SHA-256 {Fingerprint} (was {OldFingerprint}); new connections use it",
                loaded.Certificate.Subject, CertificatePath, loaded.Certificate.NotAfter, loaded.Sha256Fingerprint, old.Sha256Fingerprint);
            if (loaded.Certificate.NotAfter < DateTime.Now)
            {
                Logger.LogWarning("The reloaded TLS certificate expired on {NotAfter:yyyy-MM-dd}", loaded.Certificate.NotAfter);
            }
            Reloaded?.Invoke(loaded);
            return true;
        }
    }

    /// <summary>
    /// Watches the directories of the two files (and of their link targets, for certbot's <c>live/</c> links into
    /// <c>archive/</c>) and calls <see cref="Reload"/> once nothing has changed there for <paramref name="debounce"/>,
    /// so a pair written in several steps is read once complete. Returns false (and logs a warning) when a directory
    /// cannot be watched, e.g. the inotify limit is reached; <see cref="Reload"/> still works. Does nothing for a fixed
    /// certificate.
    /// </summary>
    /// <param name="debounce">Quiet time after the last change before reading, e.g. 2 s.</param>
    public bool Watch(TimeSpan debounce)
    {
        if (CertificatePath is null || KeyPath is null)
        {
            return false;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        _debounceDelay = debounce;
        _debounce ??= new Timer(_ => Reload());
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in new[] { CertificatePath, KeyPath })
        {
            AddDirectory(directories, path);
            try
            {
                if (File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target)
                {
                    AddDirectory(directories, target.FullName);
                }
            }
            catch (IOException)
            {
            }
        }
        var all = true;
        foreach (var directory in directories)
        {
            try
            {
                var watcher = new FileSystemWatcher(directory)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Changed += OnChanged;
                watcher.Created += OnChanged;
                watcher.Deleted += OnChanged;
                watcher.Renamed += OnChanged;
                watcher.Error += (_, _) => Schedule();
                watcher.EnableRaisingEvents = true;
                lock (_watchers)
                {
                    _watchers.Add(watcher);
                }
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
                all = false;
                Logger.LogWarning("Cannot watch {Directory} for certificate changes ({Message}); send SIGHUP after replacing the certificate", directory, e.Message);
            }
        }
        return all;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        lock (_watchers)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }
            _watchers.Clear();
        }
        _debounce?.Dispose();
    }

    private void OnChanged(object sender, FileSystemEventArgs e) => Schedule();

    /// <summary>(Re)starts the quiet period: every change moves the reload further out.</summary>
    private void Schedule()
    {
        try
        {
            _debounce?.Change(_debounceDelay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void AddDirectory(HashSet<string> directories, string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { Length: > 0 } directory && Directory.Exists(directory))
        {
            directories.Add(directory);
        }
    }

    private static bool SameChain(X509Certificate2Collection a, X509Certificate2Collection b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Thumbprint, b[i].Thumbprint, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}

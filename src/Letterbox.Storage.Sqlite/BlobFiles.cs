using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Letterbox.Storage.Sqlite;

/// <summary>
/// Where message bytes live: immutable files <c>blobs/&lt;xx&gt;/&lt;id as 16 hex digits&gt;</c> named by a random
/// blob id (never by a mailbox or user name, so no name can escape the data directory), and the staging area
/// <c>tmp/</c>. Also the directory fsync that makes a rename durable on POSIX systems.
/// </summary>
internal sealed class BlobFiles
{
    private readonly string _blobRoot;

    public BlobFiles(string dataDirectory)
    {
        _blobRoot = Path.Combine(dataDirectory, "blobs");
        TempDirectory = Path.Combine(dataDirectory, "tmp");
    }

    /// <summary>The staging directory.</summary>
    public string TempDirectory { get; }

    /// <summary>Creates <c>blobs/00</c> … <c>blobs/ff</c> and <c>tmp/</c>, syncing the new directory entries, and
    /// deletes whatever staging files a previous process left behind.</summary>
    public void Initialize()
    {
        Directory.CreateDirectory(_blobRoot);
        var created = false;
        for (var i = 0; i < 256; i++)
        {
            var dir = Path.Combine(_blobRoot, i.ToString("x2", CultureInfo.InvariantCulture));
            if (!Directory.Exists(dir))
            {
                Directory.CreateDirectory(dir);
                created = true;
            }
        }
        if (created)
        {
            SyncDirectory(_blobRoot);
        }
        Directory.CreateDirectory(TempDirectory);
        foreach (var file in Directory.EnumerateFiles(TempDirectory))
        {
            TryDelete(file);
        }
    }

    /// <summary>A new random blob id (positive, 63 bits).</summary>
    public static long NewBlobId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var id = BitConverter.ToInt64(bytes) & long.MaxValue;
        return id == 0 ? 1 : id;
    }

    /// <summary>A new random blob id whose file lands in directory <paramref name="shard"/> (its last two hex digits),
    /// so the blobs of one append batch share one directory and one directory fsync.</summary>
    public static long NewBlobId(byte shard) => (NewBlobId() & ~0xFFL) | shard;

    /// <summary>A new unique path in the staging directory.</summary>
    public string NewTempPath() => Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>The file holding blob <paramref name="blobId"/>.</summary>
    public string PathOf(long blobId)
    {
        var name = blobId.ToString("x16", CultureInfo.InvariantCulture);
        return Path.Combine(_blobRoot, name.Substring(14, 2), name);
    }

    /// <summary>The directory holding blob <paramref name="blobId"/>.</summary>
    public string DirectoryOf(long blobId) => Path.GetDirectoryName(PathOf(blobId))!;

    /// <summary>Opens a blob for reading; null if the file is gone (expunged meanwhile).</summary>
    public Stream? OpenRead(long blobId)
    {
        try
        {
            return new FileStream(PathOf(blobId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16384, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a file, ignoring a missing one and I/O failures (an orphan file is harmless).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Makes directory entry changes (create, rename) durable: fsync(2) on the directory. A no-op on
    /// Windows, where NTFS journals metadata and a directory cannot be opened this way.</summary>
    public static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = NativeMethods.open(path, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{path}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (NativeMethods.fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA2101 // simple blittable signatures; DllImport avoids requiring unsafe code
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        internal static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        internal static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int close(int fd);
#pragma warning restore SYSLIB1054, CA2101
    }
}

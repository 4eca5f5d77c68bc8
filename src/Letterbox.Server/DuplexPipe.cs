using System.IO.Pipelines;

namespace Letterbox.Server;

/// <summary>A plain pair of <see cref="PipeReader"/> and <see cref="PipeWriter"/> (a socket's streams, or two in-memory
/// pipes for tests and benchmarks).</summary>
/// <param name="Input">Bytes from the client.</param>
/// <param name="Output">Bytes to the client.</param>
public sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe
{
    /// <summary>Creates two connected in-memory ends: what one writes, the other reads.</summary>
    /// <returns>The server end and the client end.</returns>
    public static (DuplexPipe Server, DuplexPipe Client) CreatePair(PipeOptions? options = null)
    {
        var toServer = new Pipe(options ?? PipeOptions.Default);
        var toClient = new Pipe(options ?? PipeOptions.Default);
        return (new DuplexPipe(toServer.Reader, toClient.Writer), new DuplexPipe(toClient.Reader, toServer.Writer));
    }
}

namespace Letterbox.Storage.Sqlite.Tests;

/// <summary>Collects progress reports as they are made (<see cref="Progress{T}"/> would post them to the thread
/// pool, out of order and possibly after the call returned).</summary>
internal sealed class SynchronousProgress<T>(List<T> reports) : IProgress<T>
{
    public void Report(T value) => reports.Add(value);
}

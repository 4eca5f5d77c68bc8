using System.IO.Pipelines;
using Letterbox.Imap.Mime;

namespace Letterbox.Imap.Tests.Mime;

public class SectionContentTests
{
    [Fact]
    public async Task CopyToAsync_StreamsLargeRangeExactly()
    {
        var stored = new byte[300_000];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = (byte)(i * 7);
        }
        var content = SectionContent.FromRange(1000, 250_000);
        using var source = new MemoryStream(stored);
        using var output = new MemoryStream();
        var pipe = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));

        await content.CopyToAsync(source, pipe, CancellationToken.None);
        await pipe.FlushAsync();

        Assert.Equal(stored.AsSpan(1000, 250_000).ToArray(), output.ToArray());
    }

    [Fact]
    public async Task CopyToAsync_TruncatedStoreThrows()
    {
        var content = SectionContent.FromRange(5, 100);
        using var source = new MemoryStream(new byte[50]);
        var pipe = PipeWriter.Create(new MemoryStream());
        await Assert.ThrowsAsync<InvalidDataException>(async () => await content.CopyToAsync(source, pipe, CancellationToken.None));
    }

    [Fact]
    public void Slice_ClipsAndEmpties()
    {
        var content = SectionContent.FromRange(10, 20);
        var slice = content.Slice(5, 100);
        Assert.Equal(15, slice.Offset);
        Assert.Equal(15, slice.Length);
        Assert.Equal(0, content.Slice(20, 1).Length);
        Assert.Equal(3, content.Slice(0, 3).Length);
    }

    [Fact]
    public void Buffer_ViewsBytes()
    {
        var content = SectionContent.FromBytes("abcdef"u8.ToArray()).Slice(2, 3);
        Assert.False(content.IsRange);
        Assert.Equal("cde"u8.ToArray(), content.Buffer.ToArray());
    }
}

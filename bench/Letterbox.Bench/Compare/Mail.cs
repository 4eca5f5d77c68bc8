using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Letterbox.Bench.Compare;

/// <summary>Messages for the comparison, and loading them into a server through APPEND (pipelined, LITERAL+), so both servers store exactly the same bytes.</summary>
internal static class Mail
{
    private static readonly DateTimeOffset BaseDate = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Corpus message <paramref name="index"/> (rotating) with a new Message-ID and Date; CRLF line ends.</summary>
    public static byte[] CorpusCopy(List<byte[]> corpus, int index, string tag)
    {
        var date = BaseDate.AddMinutes(index);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"Message-ID: <{index}.{tag}@bench.letterbox.invalid>\r\nDate: {date:ddd, dd MMM yyyy HH:mm:ss} +0000\r\n");
        return Crlf([.. Encoding.ASCII.GetBytes(header), .. corpus[index % corpus.Count]]);
    }

    /// <summary>A plain-text message of about <paramref name="size"/> bytes.</summary>
    public static byte[] Synthetic(int size, string tag)
    {
        var builder = new StringBuilder(size + 200);
        builder.Append(CultureInfo.InvariantCulture, $"From: Bench <bench@bench.test>\r\nTo: Someone <someone@bench.test>\r\nSubject: bench {tag}\r\nMessage-ID: <{tag}.{Guid.NewGuid():N}@bench.test>\r\nDate: Wed, 01 Jan 2020 00:00:00 +0000\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        var line = "The quick brown fox jumps over the lazy dog, again and again, to fill this message.\r\n";
        while (builder.Length + line.Length <= size)
        {
            builder.Append(line);
        }
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <summary>Every bare LF becomes CRLF (what both servers would store anyway).</summary>
    private static byte[] Crlf(byte[] message)
    {
        var output = new MemoryStream(message.Length + 256);
        for (var i = 0; i < message.Length; i++)
        {
            if (message[i] == (byte)'\n' && (i == 0 || message[i - 1] != (byte)'\r'))
            {
                output.WriteByte((byte)'\r');
            }
            output.WriteByte(message[i]);
        }
        return output.ToArray();
    }

    /// <summary>An APPEND (after the tag) of one message with LITERAL+.</summary>
    public static byte[] AppendCommand(string quotedMailbox, string flags, byte[] message)
    {
        var head = Encoding.ASCII.GetBytes($" APPEND {quotedMailbox} ({flags}) {{{message.Length}+}}\r\n");
        return [.. head, .. message, (byte)'\r', (byte)'\n'];
    }

    /// <summary>Makes sure the account's mailbox holds at least <paramref name="count"/> messages (corpus copies,
    /// every third \Seen), appending the missing ones <paramref name="batch"/> per write — one MULTIAPPEND if the server advertises it, else pipelined LITERAL+ APPENDs — over
    /// <paramref name="connections"/> connections at once (the same messages on every server; the order of the
    /// batches may differ). Returns (messages appended, seconds).</summary>
    public static async Task<(int Appended, double Seconds)> FillAsync(Target target, string logical, int count, List<byte[]> corpus, int batch, int connections, CancellationToken cancellationToken)
    {
        var exists = 0;
        var (client, mailbox) = await target.LoginAsync(logical, cancellationToken);
        await using (client)
        {
            if (target.SingleUser)
            {
                try
                {
                    await client.CommandAsync("CREATE " + mailbox, cancellationToken);
                }
                catch (InvalidOperationException)
                {
                    // Already exists.
                }
            }
            await client.CommandAsync("EXAMINE " + mailbox, line => exists = Math.Max(exists, Exists(line)), cancellationToken);
            await client.CommandAsync("LOGOUT", cancellationToken);
        }
        if (!target.Has("LITERAL+"))
        {
            throw new InvalidOperationException($"{target.Name} does not advertise LITERAL+, which loading needs.");
        }
        // One MULTIAPPEND (RFC 3502) per batch where the server advertises it, else the batch's APPENDs pipelined.
        var multiAppend = target.Has("MULTIAPPEND");
        var stopwatch = Stopwatch.StartNew();
        var next = exists;
        var appended = 0;
        var gate = new Lock();
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(connections, (count - exists + batch - 1) / batch))).Select(_ => Task.Run(async () =>
        {
            var (loader, box) = await target.LoginAsync(logical, cancellationToken);
            await using (loader)
            {
                while (true)
                {
                    int first, n;
                    lock (gate)
                    {
                        first = next;
                        n = Math.Min(batch, count - first);
                        next += Math.Max(n, 0);
                    }
                    if (n <= 0)
                    {
                        break;
                    }
                    var commands = new List<byte[]>(n);
                    var multi = new MemoryStream();
                    multi.Write(Encoding.ASCII.GetBytes(" APPEND " + box));
                    for (var k = 0; k < n; k++)
                    {
                        var index = first + k;
                        var message = CorpusCopy(corpus, index, logical);
                        var date = BaseDate.AddMinutes(index).ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture);
                        var head = Encoding.ASCII.GetBytes($" ({(index % 3 == 0 ? "\\Seen" : "")}) \"{date} +0000\" {{{message.Length}+}}\r\n");
                        if (multiAppend)
                        {
                            multi.Write(head);
                            multi.Write(message);
                        }
                        else
                        {
                            commands.Add([.. Encoding.ASCII.GetBytes(" APPEND " + box), .. head, .. message, (byte)'\r', (byte)'\n']);
                        }
                    }
                    if (multiAppend)
                    {
                        multi.Write("\r\n"u8);
                        commands.Add(multi.ToArray());
                    }
                    await loader.PipelineAsync(commands, cancellationToken);
                    Interlocked.Add(ref appended, n);
                }
                await loader.CommandAsync("LOGOUT", cancellationToken);
            }
        }, cancellationToken)));
        return (appended, stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>n of "* n EXISTS", else 0.</summary>
    public static int Exists(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("* "u8) || !line.EndsWith(" EXISTS"u8))
        {
            return 0;
        }
        return Utf8Parser.TryParse(line[2..^7], out int n, out var consumed) && consumed == line.Length - 9 ? n : 0;
    }

    /// <summary>The last number of "[APPENDUID validity uid]" in a tagged reply, or 0.</summary>
    public static uint AppendUid(string tagged)
    {
        var at = tagged.IndexOf("[APPENDUID ", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return 0;
        }
        var close = tagged.IndexOf(']', at);
        var parts = tagged[(at + 11)..close].Split(' ');
        return parts.Length == 2 && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : 0;
    }

    /// <summary>HIGHESTMODSEQ of a SELECT response line, else 0.</summary>
    public static ulong HighestModSeq(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf("[HIGHESTMODSEQ "u8);
        return at >= 0 && Utf8Parser.TryParse(line[(at + 15)..], out ulong value, out _) ? value : 0;
    }
}

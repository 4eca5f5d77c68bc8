using System.Reflection;
using Letterbox.Mail.Store;

namespace Letterbox.EndToEnd.Tests;

/// <summary>
/// Wraps an <see cref="IMailStore"/> and records every <see cref="IMailStore.OpenMessageAsync"/> — the one call the
/// server makes to read a message's bytes (FETCH BODY[…], BODY.PEEK[…], RFC822…; never for FLAGS, UID, sizes or
/// structure). Sync tests use it to prove, from the server side, which messages a client downloaded.
/// </summary>
public class BodyReadCounter : DispatchProxy
{
    private readonly List<(long MailboxId, uint Uid)> _reads = [];
    private IMailStore _inner = null!;

    /// <summary>A store that forwards every call to <paramref name="inner"/> and counts message reads in
    /// <paramref name="counter"/>.</summary>
    public static IMailStore Wrap(IMailStore inner, out BodyReadCounter counter)
    {
        var proxy = Create<IMailStore, BodyReadCounter>();
        counter = (BodyReadCounter)(object)proxy;
        counter._inner = inner;
        return proxy;
    }

    /// <summary>The (mailbox id, UID) of every message read since the last <see cref="Reset"/>, in order.</summary>
    public IReadOnlyList<(long MailboxId, uint Uid)> Reads
    {
        get
        {
            lock (_reads)
            {
                return [.. _reads];
            }
        }
    }

    /// <summary>Forgets the reads recorded so far.</summary>
    public void Reset()
    {
        lock (_reads)
        {
            _reads.Clear();
        }
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IMailStore.OpenMessageAsync) && args is { Length: >= 2 })
        {
            lock (_reads)
            {
                _reads.Add(((long)args[0]!, (uint)args[1]!));
            }
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}

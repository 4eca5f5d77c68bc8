using Letterbox.Mail.Store;

namespace Letterbox.Storage.Sqlite;

public sealed partial class SqliteMailStore
{
    private readonly ChangeFeedHub _feed = new();

    /// <inheritdoc/>
    /// <remarks>Raised after each commit of this instance (on the committing thread, after the write lock is
    /// released). Commits by another process on the same data directory are noticed by polling; see
    /// <c>docs/storage.md</c>.</remarks>
    public IChangeFeed ChangeFeed => _feed;

    /// <summary>The feed with its diagnostics (watcher counts), for tests and metrics.</summary>
    public ChangeFeedHub Feed => _feed;

    /// <summary>Raises a committed transaction's changes on the feed.</summary>
    internal void RaiseCommitted(List<FeedChange> changes)
    {
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (change.MailboxId == 0)
            {
                _feed.RaiseMailboxListChanged(change.UserId);
            }
            else
            {
                _feed.RaiseMailboxChanged(change.UserId, change.MailboxId, change.HighestModSeq);
            }
        }
    }
}

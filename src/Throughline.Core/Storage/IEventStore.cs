namespace Throughline.Storage;

/// <summary>The append-only store of every event Throughline received.</summary>
/// <remarks>
/// Implementations are thread safe. A batch is stored in one transaction: all of it or none of it, and
/// durably (on disk, or committed on the database server) before the returned task completes.
/// </remarks>
public interface IEventStore : IAsyncDisposable
{
    /// <summary>Which engine holds the events: <c>sqlite</c> or <c>postgres</c>.</summary>
    string Provider { get; }

    /// <summary>Where the events are, without credentials, for logs and health output.</summary>
    string Description { get; }

    /// <summary>Creates or upgrades the schema to the newest version this build knows.</summary>
    /// <returns>The schema version in force afterwards.</returns>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Stores a batch, skipping events already held; all or nothing.</summary>
    /// <param name="events">The batch; an event repeated within it is stored once.</param>
    /// <param name="receivedAt">The receipt time recorded on every event of the batch.</param>
    /// <param name="cancellationToken">Cancels before commit; nothing is stored then.</param>
    Task<AppendResult> AppendAsync(IReadOnlyList<EventDraft> events, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>How many events are stored.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>The most recently received events, newest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ListNewestAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The event stored at <paramref name="sequence"/>, or null when there is none.</summary>
    Task<StoredEvent?> FindAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>Checks the database answers; throws when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

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

    /// <summary>Events stored after <paramref name="afterSequence"/>, oldest first: how projections tail the store.</summary>
    /// <remarks>
    /// On PostgreSQL, sequence numbers are handed out before commit, so a reader may see a higher number before
    /// a lower one commits; readers that tail must allow for late gaps (<see cref="WritersAsync"/> says when a gap is final).
    /// </remarks>
    Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>Where the store's writers stand now: what tells a number skipped by a reader that will still be stored (its
    /// writer is in flight) from one that never will (rolled back, spent on a duplicate, deleted by a replay).</summary>
    /// <remarks>A number skipped when <see cref="StoreWriters.Begun"/> was B is final once a later answer's
    /// <see cref="StoreWriters.Ended"/> is at least B: every writer that could hold it has committed or rolled back.</remarks>
    Task<StoreWriters> WritersAsync(CancellationToken cancellationToken);

    /// <summary>The events stored at any of <paramref name="sequences"/> (missing ones are left out), oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadSequencesAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken);

    /// <summary>The event stored at <paramref name="sequence"/>, or null when there is none.</summary>
    Task<StoredEvent?> FindAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>Stores a webhook delivery verbatim together with the events translated from it, in one transaction.</summary>
    /// <remarks>
    /// A delivery already held (same tool and delivery id) changes nothing: the result says so and no event is
    /// stored, even if <paramref name="events"/> differ. Each stored event records the delivery it came from.
    /// </remarks>
    /// <param name="delivery">The delivery as received.</param>
    /// <param name="events">The CDEvents translated from it; at least one (an unmapped placeholder when nothing translates).</param>
    /// <param name="cancellationToken">Cancels before commit; nothing is stored then.</param>
    Task<DeliveryResult> AppendDeliveryAsync(DeliveryDraft delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken);

    /// <summary>Stored deliveries with a sequence above <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredDelivery>> ListDeliveriesAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>How many webhook deliveries are stored.</summary>
    Task<long> CountDeliveriesAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the events translated from a delivery with <paramref name="events"/>, unless they are already exactly those.</summary>
    /// <remarks>
    /// Idempotent: when the stored events equal <paramref name="events"/> (same source, id, type, mapping and payload, in
    /// order) nothing changes. Otherwise the old events of the delivery are deleted and the new ones inserted with new
    /// sequence numbers and the delivery's receipt time, in one transaction.
    /// </remarks>
    /// <returns>True when the stored events changed.</returns>
    Task<bool> ReplaceTranslationAsync(StoredDelivery delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken);

    /// <summary>The events translated from the delivery at <paramref name="deliverySequence"/>, in the order stored.</summary>
    Task<IReadOnlyList<StoredEvent>> ListDeliveryEventsAsync(long deliverySequence, CancellationToken cancellationToken);

    /// <summary>Checks the database answers and can take a write now; throws when it cannot.</summary>
    /// <remarks>
    /// Cheap and changes nothing: it opens a write transaction (taking the write lock on SQLite), runs a write that matches no
    /// row, and rolls back, so a read-only file, a read-only PostgreSQL session or a standby fails it. On SQLite it also fails when
    /// the disk holding the file has less than a few MiB free (with <c>SQLITE_FULL</c>); PostgreSQL offers no cheap way to see
    /// its free space, so there a full disk shows only in the writes that fail.
    /// </remarks>
    Task CheckWritableAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="yaml"/> as the operating model in force from <paramref name="effectiveAt"/>, unless it is the latest version already.</summary>
    /// <remarks>Identical content (the same <paramref name="hash"/>) as the latest version is not a new version; content equal to an
    /// older one is (the model changed back). Serialised across nodes: two nodes recording the same content add one version.</remarks>
    Task<ModelVersionResult> RecordModelVersionAsync(string yaml, string hash, DateTimeOffset effectiveAt, string origin, CancellationToken cancellationToken);

    /// <summary>Every stored model version, oldest first, without the YAML.</summary>
    Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(CancellationToken cancellationToken);

    /// <summary>The latest model version (the one in force), or null when none was stored.</summary>
    Task<ModelVersion?> LatestModelVersionAsync(CancellationToken cancellationToken);

    /// <summary>One model version with its YAML, or null when there is no such number.</summary>
    Task<StoredModelVersion?> FindModelVersionAsync(long number, CancellationToken cancellationToken);

    /// <summary>Stores a new API token (its secret only as <paramref name="hash"/>); with <paramref name="onlyIfFirst"/>, only when the
    /// database holds no token at all, not even a revoked one (the first start's admin token). False when nothing was stored: the id
    /// is taken, or a token exists.</summary>
    Task<bool> AddTokenAsync(StoredToken token, byte[] hash, bool onlyIfFirst, CancellationToken cancellationToken);

    /// <summary>One token by its id (prefix) with its hash, or null.</summary>
    Task<StoredTokenHash?> FindTokenAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every token, revoked and expired ones too, oldest first, without hashes.</summary>
    Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken);

    /// <summary>Marks a token revoked at <paramref name="at"/>; false when there is no such token or it was already revoked.</summary>
    Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Appends one line to the audit log (append-only: the database refuses updates and deletes of it); returns its sequence number.</summary>
    Task<long> AppendAuditAsync(AuditDraft entry, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> audit lines older than <paramref name="beforeSequence"/>, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long beforeSequence, int limit, CancellationToken cancellationToken);
}

/// <summary>The writers of a store at one instant, numbered in the order they began (PostgreSQL's transaction ids).</summary>
/// <param name="Ended">Every writer numbered below this has ended (committed or rolled back).</param>
/// <param name="Begun">Every writer in flight is numbered below this.</param>
/// <remarks>SQLite numbers and commits one writer at a time, so no writer is ever in flight for a reader: <see cref="None"/>.</remarks>
public readonly record struct StoreWriters(long Ended, long Begun)
{
    /// <summary>No writer can be in flight: every skipped number is final at once.</summary>
    public static StoreWriters None { get; } = new(long.MaxValue, 0);
}

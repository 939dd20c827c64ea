using Throughline.Storage;

namespace Throughline.Tests.Support;

/// <summary>
/// A real store (a SQLite file or a PostgreSQL database underneath) whose tailing reads past a sequence number wait until the
/// test lets them through: it holds the timeline's loading back at a known point, without a sleep or a large database.
/// </summary>
/// <remarks>Only <see cref="ReadAfterAsync"/> is held; everything else goes straight to the store. It does not dispose the store.</remarks>
public sealed class GatedEventStore(IEventStore inner, long holdReadsAfter) : IEventStore
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a read past the point has begun waiting: everything before it has been read.</summary>
    public Task Held => _held.Task;

    /// <summary>Lets the held reads, and every later one, through.</summary>
    public void Release() => _released.TrySetResult();

    public async Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        if (afterSequence >= holdReadsAfter && !_released.Task.IsCompleted)
        {
            _held.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        return await inner.ReadAfterAsync(afterSequence, limit, cancellationToken);
    }

    public string Provider => inner.Provider;

    public string Description => inner.Description;

    public Task<int> MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task<AppendResult> AppendAsync(IReadOnlyList<EventDraft> events, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        inner.AppendAsync(events, receivedAt, cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ListNewestAsync(int limit, CancellationToken cancellationToken) => inner.ListNewestAsync(limit, cancellationToken);

    public Task<StoreWriters> WritersAsync(CancellationToken cancellationToken) => inner.WritersAsync(cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ReadSequencesAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken) =>
        inner.ReadSequencesAsync(sequences, cancellationToken);

    public Task<StoredEvent?> FindAsync(long sequence, CancellationToken cancellationToken) => inner.FindAsync(sequence, cancellationToken);

    public Task<DeliveryResult> AppendDeliveryAsync(DeliveryDraft delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken) =>
        inner.AppendDeliveryAsync(delivery, events, cancellationToken);

    public Task<IReadOnlyList<StoredDelivery>> ListDeliveriesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        inner.ListDeliveriesAsync(afterSequence, limit, cancellationToken);

    public Task<long> CountDeliveriesAsync(CancellationToken cancellationToken) => inner.CountDeliveriesAsync(cancellationToken);

    public Task<bool> ReplaceTranslationAsync(StoredDelivery delivery, IReadOnlyList<EventDraft> events, CancellationToken cancellationToken) =>
        inner.ReplaceTranslationAsync(delivery, events, cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ListDeliveryEventsAsync(long deliverySequence, CancellationToken cancellationToken) =>
        inner.ListDeliveryEventsAsync(deliverySequence, cancellationToken);

    public Task CheckWritableAsync(CancellationToken cancellationToken) => inner.CheckWritableAsync(cancellationToken);

    public Task<ModelVersionResult> RecordModelVersionAsync(string yaml, string hash, DateTimeOffset effectiveAt, string origin, CancellationToken cancellationToken) =>
        inner.RecordModelVersionAsync(yaml, hash, effectiveAt, origin, cancellationToken);

    public Task<IReadOnlyList<ModelVersion>> ListModelVersionsAsync(CancellationToken cancellationToken) => inner.ListModelVersionsAsync(cancellationToken);

    public Task<ModelVersion?> LatestModelVersionAsync(CancellationToken cancellationToken) => inner.LatestModelVersionAsync(cancellationToken);

    public Task<StoredModelVersion?> FindModelVersionAsync(long number, CancellationToken cancellationToken) => inner.FindModelVersionAsync(number, cancellationToken);

    public Task<bool> AddTokenAsync(StoredToken token, byte[] hash, bool onlyIfFirst, CancellationToken cancellationToken) =>
        inner.AddTokenAsync(token, hash, onlyIfFirst, cancellationToken);

    public Task<StoredTokenHash?> FindTokenAsync(string id, CancellationToken cancellationToken) => inner.FindTokenAsync(id, cancellationToken);

    public Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken) => inner.ListTokensAsync(cancellationToken);

    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => inner.RevokeTokenAsync(id, at, cancellationToken);

    public Task<long> AppendAuditAsync(AuditDraft entry, CancellationToken cancellationToken) => inner.AppendAuditAsync(entry, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long beforeSequence, int limit, CancellationToken cancellationToken) =>
        inner.ListAuditAsync(beforeSequence, limit, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask; // the test owns the store underneath
}

using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>Keeps the timeline of everything in the store up to date: tails the store and rebuilds the snapshot when facts arrive.</summary>
/// <remarks>
/// <para>The snapshot always equals <see cref="TimelineBuilder.Build"/> of every fact read so far, so it equals what
/// <c>throughline rebuild</c> computes from the same events. Facts are kept in partitions that share nothing the
/// builder links by (changes, repositories, services, artifacts, commits, chains, incidents): when events arrive,
/// only the partitions they touch are rebuilt. Several nodes sharing a PostgreSQL database each keep their own
/// projection and reach the same state.</para>
/// <para>A coordinator of parts with one job each: <see cref="StoreTail"/> reads the store and looks again for sequence
/// numbers it skipped until no writer could still store them (PostgreSQL hands them out before commit);
/// <see cref="FactPartitions"/> groups facts by the keys the builder links them by (<see cref="FactLinks"/>);
/// <see cref="FactCache"/> keeps the facts of the partitions used most recently, up to <see cref="CachedFacts"/> facts in
/// all, and reads the others back from the store when they must be rebuilt; <see cref="UnmappedCounter"/> counts the events
/// the timeline does not interpret. Each partition keeps the sequence numbers of its events.</para>
/// <para>Thread safe: one caller at a time may catch up; readers take <see cref="Current"/> at any time, and may await the
/// next catch-up with <see cref="WaitForCatchUpAsync"/>.</para>
/// </remarks>
public sealed partial class TimelineProjection
{
    /// <summary>How many facts are kept in memory by default: an organisation of 100,000 changes a year fits whole.</summary>
    public const int DefaultCachedFacts = 2_000_000;

    private readonly IEventStore _store;
    private readonly OperatingModel? _model;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringPool _pool = new();
    private readonly StoreTail _tail;
    private readonly FactPartitions _partitions;
    private readonly FactCache _cache;
    private readonly UnmappedCounter _unmapped = new();
    private readonly UnreadableCounter _unreadable = new();
    private readonly Dictionary<int, TimelineSnapshot> _snapshotByPartition = [];
    private readonly HashSet<int> _dirty = [];
    // A copy of the shared empty snapshot: what is derived from a snapshot is derived under this projection's model.
    private volatile TimelineSnapshot _current = TimelineSnapshot.Empty with { };
    private long _eventsRead;
    private long _eventsToLoad = -1; // -1 until counted: a long is read whole on every platform with Interlocked

    /// <summary>Projects the events of <paramref name="store"/> onto <paramref name="model"/>.</summary>
    /// <param name="store">The store to tail.</param>
    /// <param name="model">The operating model, if any.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cachedFacts">How many facts to keep in memory (<see cref="DefaultCachedFacts"/> when null); 0 reads every rebuilt partition back from the store.</param>
    public TimelineProjection(IEventStore store, OperatingModel? model, TimeProvider time, int? cachedFacts = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cachedFacts ?? 0, nameof(cachedFacts));
        _store = store;
        _model = model;
        _time = time;
        _tail = new StoreTail(store);
        _cache = new FactCache(store, _pool, cachedFacts ?? DefaultCachedFacts);
        _partitions = new FactPartitions(model, _cache.Start, Merged);
    }

    /// <summary>The operating model the timeline is mapped onto, if any.</summary>
    public OperatingModel? Model => _model;

    /// <summary>The latest snapshot.</summary>
    public TimelineSnapshot Current => _current;

    /// <summary>Every stored event up to this sequence number has been read, and is reflected in <see cref="Current"/>.</summary>
    /// <remarks>Published after the snapshot it describes: a reader that sees it sees that snapshot or a later one.</remarks>
    public long Watermark => Volatile.Read(ref _watermark);

    /// <summary>Events read so far (facts, events the timeline does not use, and rows it could not read).</summary>
    public long EventsRead => Interlocked.Read(ref _eventsRead);

    /// <summary>True once the timeline holds every event stored when it began: its first catch-up has finished.</summary>
    /// <remarks>
    /// Until then <see cref="Current"/> is empty or partial (a server restarted on a large store reads for seconds), and a figure
    /// derived from it would be a partial number shown as whole. A catch-up that fails does not count; the next one that
    /// finishes does. Once true it stays true: later events only make the timeline newer.
    /// </remarks>
    public bool Loaded => Interlocked.Read(ref _catchUpsFinished) > 0;

    /// <summary>How many events the store held when the first catch-up began, counted before it read any; null until then.</summary>
    /// <remarks>With <see cref="EventsRead"/>, how far loading has gone. Events stored while loading are read too, so <see cref="EventsRead"/> may end above it.</remarks>
    public long? EventsToLoad => Interlocked.Read(ref _eventsToLoad) is >= 0 and var count ? count : null;

    /// <summary>Events stored but not interpreted (custom or unknown types, untranslatable webhook deliveries), by source and type.</summary>
    /// <remarks>A copy published at the end of each catch-up: readers never wait for one.</remarks>
    public IReadOnlyDictionary<(string Source, string Type), int> Unmapped => _unmapped.Published;

    /// <summary>Stored rows that cannot be read as events (<see cref="StoredRows"/>), skipped: how many, and the first ones with their reasons.</summary>
    /// <remarks>A copy published at the end of each catch-up, like <see cref="Unmapped"/>.</remarks>
    public UnreadableReport Unreadable => _unreadable.Published;

    /// <summary>How many independent partitions the facts fall into.</summary>
    public int Partitions => _partitions.Count;

    /// <summary>At most how many facts are kept in memory between rebuilds.</summary>
    public int CachedFacts => _cache.Capacity;

    /// <summary>How many facts are kept in memory now.</summary>
    public long HeldFacts => _cache.Count;

    /// <summary>How many facts were read back from the store to rebuild partitions whose facts had been let go, since start.</summary>
    public long FactsReread => _cache.Reread;

    /// <summary>How long the last catch-up spent reading and interpreting stored events.</summary>
    public TimeSpan LastReadDuration { get; private set; }

    /// <summary>How long the last rebuild of the snapshot took.</summary>
    public TimeSpan LastBuildDuration { get; private set; }

    /// <summary>When the snapshot was last rebuilt.</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>The earliest timestamp (<c>context.timestamp</c>) of the events read, unmapped ones included; null before any.</summary>
    public DateTimeOffset? FirstEventAt { get; private set; }

    /// <summary>The latest timestamp of the events read, unmapped ones included; null before any.</summary>
    public DateTimeOffset? LastEventAt { get; private set; }

    /// <summary>The events of a change's story, read from the store, in the story's order (time, source, id).</summary>
    /// <remarks>The timeline keeps only where they are stored; an event deleted since (by <c>replay</c>) is left out.</remarks>
    public async Task<IReadOnlyList<Fact>> EventsOfAsync(ChangeTimeline change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var facts = (await _store.ReadSequencesAsync(change.EventSequences, cancellationToken))
            .Select(stored => FactReader.Read(stored))
            .OfType<Fact>()
            .ToList();
        facts.Sort(Fact.Compare);
        return facts;
    }

    /// <summary>Reads what was stored since the last call and rebuilds the partitions it touched.</summary>
    /// <returns>True when the snapshot changed.</returns>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var catchUp = BeginCatchUp();
            var reading = _time.GetTimestamp();
            if (!Loaded && EventsToLoad is null)
            {
                Interlocked.Exchange(ref _eventsToLoad, await _store.CountAsync(cancellationToken));
            }

            await foreach (var page in _tail.PagesAsync(cancellationToken))
            {
                foreach (var stored in page)
                {
                    Read(stored);
                }

                _cache.Trim();
            }

            foreach (var stored in await _tail.FilledGapsAsync(cancellationToken))
            {
                Read(stored);
            }

            var watermark = _tail.Watermark;
            LastReadDuration = _time.GetElapsedTime(reading);
            _unmapped.Publish();
            _unreadable.Publish();
            if (_dirty.Count == 0 && UpdatedAt is not null)
            {
                FinishCatchUp(catchUp, watermark);
                return false;
            }

            var building = _time.GetTimestamp();
            foreach (var id in _dirty)
            {
                var facts = await _cache.FactsOfAsync(id, _partitions.SequencesOf(id), cancellationToken);
                _snapshotByPartition[id] = TimelineBuilder.Build(facts, _model);
                _cache.Trim();
            }

            _dirty.Clear();
            _current = _snapshotByPartition.Count == 0 ? TimelineSnapshot.Empty with { } : TimelineSnapshot.Combine(_snapshotByPartition.Values);
            LastBuildDuration = _time.GetElapsedTime(building);
            UpdatedAt = _time.GetUtcNow();
            FinishCatchUp(catchUp, watermark);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Read(StoredEvent stored)
    {
        Interlocked.Increment(ref _eventsRead);
        if (stored.Unreadable is not null)
        {
            _unreadable.Count(stored);
            return;
        }

        var time = stored.Event.Timestamp;
        FirstEventAt = FirstEventAt is { } first && first <= time ? first : time;
        LastEventAt = LastEventAt is { } last && last >= time ? last : time;
        if (!stored.Event.Mapped)
        {
            _unmapped.Count(stored.Event);
        }
        else if (FactReader.Read(stored, _pool) is { } fact)
        {
            var partition = _partitions.Add(fact);
            _cache.Add(partition, fact);
            _dirty.Add(partition);
        }
    }

    /// <summary>Two partitions became one: the kept one is rebuilt, the merged one's snapshot goes.</summary>
    private void Merged(int kept, int merged)
    {
        _cache.Merge(kept, merged);
        _dirty.Add(kept);
        _snapshotByPartition.Remove(merged);
        _dirty.Remove(merged);
    }
}

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
/// <para>PostgreSQL hands out sequence numbers before commit (and spends them on duplicates it then skips): reading goes
/// on past a gap, and each missing number is looked up again for up to <see cref="GapPatience"/> after it was noticed,
/// in case its insert commits late; after that it is taken as never stored.</para>
/// <para>Memory: each partition keeps the sequence numbers of its events; the facts themselves are kept only for the
/// partitions used most recently, up to <see cref="CachedFacts"/> facts in all, and are read back from the store when a
/// partition whose facts were let go must be rebuilt. Link tokens are kept as 64-bit hashes: two tokens that collide
/// only join two partitions, which are then built together, and building together gives the same result.</para>
/// <para>Thread safe: one caller at a time may catch up; readers take <see cref="Current"/> at any time, and may await the
/// next catch-up with <see cref="WaitForCatchUpAsync"/>.</para>
/// </remarks>
public sealed partial class TimelineProjection
{
    /// <summary>How long a gap in sequence numbers is waited for.</summary>
    /// <remarks>Measured on the clock given to the constructor, from the catch-up that first noticed the gap.</remarks>
    public static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(10);

    /// <summary>How many facts are kept in memory by default: an organisation of 100,000 changes a year fits whole.</summary>
    public const int DefaultCachedFacts = 2_000_000;

    private const int PageSize = 10_000;
    private readonly IEventStore _store;
    private readonly OperatingModel? _model;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly StringPool _pool = new();
    private readonly Dictionary<ulong, int> _tokens = [];
    private readonly List<int> _parent = [];
    private readonly Dictionary<int, Partition> _partitions = [];
    private readonly LinkedList<Partition> _held = [];
    private long _heldFacts;
    private readonly Dictionary<int, TimelineSnapshot> _snapshotByPartition = [];
    private readonly HashSet<int> _dirty = [];
    private readonly Dictionary<long, DateTimeOffset> _gaps = [];
    private long _highest;
    private readonly Dictionary<(string Source, string Type), int> _unmapped = [];
    private volatile IReadOnlyDictionary<(string Source, string Type), int> _unmappedPublished = new Dictionary<(string Source, string Type), int>();
    private volatile TimelineSnapshot _current = TimelineSnapshot.Empty;

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
        CachedFacts = cachedFacts ?? DefaultCachedFacts;
        foreach (var service in model?.Services ?? [])
        {
            foreach (var repository in service.Repositories)
            {
                Union(Token(TokenKey(TokenKind.Service, service.Id)), Token(TokenKey(TokenKind.Repository, repository)));
            }
        }
    }

    /// <summary>The operating model the timeline is mapped onto, if any.</summary>
    public OperatingModel? Model => _model;

    /// <summary>The latest snapshot.</summary>
    public TimelineSnapshot Current => _current;

    /// <summary>Every stored event up to this sequence number has been read, and is reflected in <see cref="Current"/>.</summary>
    /// <remarks>Published after the snapshot it describes: a reader that sees it sees that snapshot or a later one.</remarks>
    public long Watermark => Volatile.Read(ref _watermark);

    /// <summary>Events read so far (facts and events the timeline does not use).</summary>
    public long EventsRead { get; private set; }

    /// <summary>Events stored but not interpreted (custom or unknown types, untranslatable webhook deliveries), by source and type.</summary>
    /// <remarks>A copy published at the end of each catch-up: readers never wait for one.</remarks>
    public IReadOnlyDictionary<(string Source, string Type), int> Unmapped => _unmappedPublished;

    /// <summary>How many independent partitions the facts fall into.</summary>
    public int Partitions => _partitions.Count;

    /// <summary>At most how many facts are kept in memory between rebuilds.</summary>
    public int CachedFacts { get; }

    /// <summary>How many facts are kept in memory now.</summary>
    public long HeldFacts => _heldFacts;

    /// <summary>How many facts were read back from the store to rebuild partitions whose facts had been let go, since start.</summary>
    public long FactsReread { get; private set; }

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
            while (true)
            {
                var page = await _store.ReadAfterAsync(_highest, PageSize, cancellationToken);
                foreach (var stored in page)
                {
                    for (var missing = _highest + 1; missing < stored.Sequence; missing++)
                    {
                        _gaps[missing] = _time.GetUtcNow();
                    }

                    _highest = stored.Sequence;
                    Read(stored);
                }

                Trim();

                if (page.Count < PageSize)
                {
                    break;
                }
            }

            await FillGapsAsync(cancellationToken);
            var watermark = _gaps.Count == 0 ? _highest : _gaps.Keys.Min() - 1;
            LastReadDuration = _time.GetElapsedTime(reading);
            if (_unmappedPublished.Count != _unmapped.Count || _unmapped.Any(u => _unmappedPublished.GetValueOrDefault(u.Key) != u.Value))
            {
                _unmappedPublished = new Dictionary<(string Source, string Type), int>(_unmapped);
            }

            if (_dirty.Count == 0 && UpdatedAt is not null)
            {
                FinishCatchUp(catchUp, watermark);
                return false;
            }

            var building = _time.GetTimestamp();
            foreach (var id in _dirty)
            {
                var partition = _partitions[id];
                var facts = partition.Facts ?? await ReadBackAsync(partition, cancellationToken);
                _snapshotByPartition[id] = TimelineBuilder.Build(facts, _model);
                Trim();
            }

            _dirty.Clear();
            _current = _snapshotByPartition.Count == 0 ? TimelineSnapshot.Empty : TimelineSnapshot.Combine(_snapshotByPartition.Values);
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
        EventsRead++;
        var time = stored.Event.Timestamp;
        FirstEventAt = FirstEventAt is { } first && first <= time ? first : time;
        LastEventAt = LastEventAt is { } last && last >= time ? last : time;
        if (!stored.Event.Mapped)
        {
            var key = (stored.Event.Source, stored.Event.Type);
            _unmapped[key] = _unmapped.GetValueOrDefault(key) + 1;
        }
        else if (FactReader.Read(stored, _pool) is { } fact)
        {
            Add(fact);
        }
    }

    /// <summary>Looks up the sequence numbers skipped so far; those still missing after <see cref="GapPatience"/> are let go.</summary>
    private async Task FillGapsAsync(CancellationToken cancellationToken)
    {
        if (_gaps.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var expired in _gaps.Where(g => now - g.Value >= GapPatience).Select(g => g.Key).ToList())
        {
            _gaps.Remove(expired);
        }

        if (_gaps.Count == 0)
        {
            return;
        }

        foreach (var stored in await _store.ReadSequencesAsync(_gaps.Keys, cancellationToken))
        {
            if (_gaps.Remove(stored.Sequence))
            {
                Read(stored);
            }
        }
    }

    private void Add(Fact fact)
    {
        var partition = -1;
        foreach (var token in Tokens(fact))
        {
            var id = Token(token);
            partition = partition < 0 ? Find(id) : Union(partition, id);
        }

        if (!_partitions.TryGetValue(partition, out var held))
        {
            held = new Partition();
            Hold(held, [], new StringPool());
            _partitions[partition] = held;
        }

        held.Sequences.Add(fact.Sequence);
        if (held.Facts is { } facts)
        {
            facts.Add(FactReader.ShareIds(fact, held.Ids!));
            _heldFacts++;
            Touch(held);
        }

        _dirty.Add(partition);
    }

    /// <summary>The facts of one partition, read back from the store in pages.</summary>
    private async Task<List<Fact>> ReadBackAsync(Partition partition, CancellationToken cancellationToken)
    {
        var (sequences, ids) = (partition.Sequences, new StringPool());
        var facts = new List<Fact>(sequences.Count);
        sequences.Sort();
        foreach (var page in sequences.Chunk(PageSize))
        {
            foreach (var stored in await _store.ReadSequencesAsync(page, cancellationToken))
            {
                if (FactReader.Read(stored, _pool, ids) is { } fact)
                {
                    facts.Add(fact);
                }
            }
        }

        FactsReread += facts.Count;
        Hold(partition, facts, ids);
        return facts;
    }

    /// <summary>Keeps <paramref name="facts"/> in memory as the partition's, most recently used, with the pool their ids share.</summary>
    private void Hold(Partition partition, List<Fact> facts, StringPool ids)
    {
        partition.Facts = facts;
        partition.Ids = ids;
        partition.Node = _held.AddLast(partition);
        _heldFacts += facts.Count;
    }

    private void Touch(Partition partition)
    {
        if (partition.Node is { } node && node != _held.Last)
        {
            _held.Remove(node);
            _held.AddLast(node);
        }
    }

    /// <summary>Lets go of a partition's facts; its sequence numbers stay, to read them back.</summary>
    private void Release(Partition partition)
    {
        if (partition.Node is { } node)
        {
            _held.Remove(node);
            _heldFacts -= partition.Facts!.Count;
            partition.Node = null;
            partition.Facts = null;
            partition.Ids = null;
        }
    }

    /// <summary>Lets go of the facts of the partitions used least recently until no more than <see cref="CachedFacts"/> are held.</summary>
    private void Trim()
    {
        while (_heldFacts > CachedFacts && _held.First is { } oldest)
        {
            Release(oldest.Value);
        }
    }

    /// <summary>A set of facts that shares no link token with any other: the events it holds, and their facts while kept.</summary>
    private sealed class Partition
    {
        public List<long> Sequences { get; } = [];

        public List<Fact>? Facts { get; set; }

        /// <summary>Shares the ids the held facts repeat; let go with them.</summary>
        public StringPool? Ids { get; set; }

        public LinkedListNode<Partition>? Node { get; set; }
    }

    /// <summary>What a link token names; with the named value, hashed, it is one key of the union-find.</summary>
    private enum TokenKind : byte
    {
        Change,
        Repository,
        Chain,
        Sha,
        Artifact,
        Service,
        Incident,
        Fact,
    }

    /// <summary>What the builder may link a fact by; facts sharing any of these must be built together.</summary>
    private IEnumerable<ulong> Tokens(Fact fact)
    {
        var any = false;
        IEnumerable<(TokenKind Kind, string? Value)> candidates =
        [
            (TokenKind.Change, fact.ChangeId),
            (TokenKind.Repository, fact.Repository),
            (TokenKind.Chain, fact.ChainId),
            (TokenKind.Sha, fact.Sha),
            (TokenKind.Artifact, fact.ArtifactId),
            (TokenKind.Service, fact.Service is null ? null : TimelineBuilder.ServiceIdFor(_model, fact.Service)),
            (TokenKind.Incident, fact.Subject == "incident" ? fact.SubjectId : null),
        ];
        foreach (var (kind, value) in candidates.Concat(fact.Labels?.Select(LabelToken) ?? []))
        {
            if (value is not null)
            {
                any = true;
                yield return TokenKey(kind, value);
            }
        }

        if (!any)
        {
            yield return TokenKey(TokenKind.Fact, fact.Source, fact.Id);
        }
    }

    /// <summary>A ticket's <c>change:ID</c> or <c>artifact:ID</c> label links like the change or artifact it names.</summary>
    private (TokenKind Kind, string? Value) LabelToken(string label) =>
        label.StartsWith("change:", StringComparison.Ordinal) ? (TokenKind.Change, label["change:".Length..])
        : label.StartsWith("artifact:", StringComparison.Ordinal) ? (TokenKind.Artifact, label["artifact:".Length..])
        : (TokenKind.Fact, null);

    /// <summary>A token's key: its kind and text, hashed.</summary>
    private static ulong TokenKey(TokenKind kind, string value, string? more = null)
    {
        var hash = Fnv.Add(Fnv.Add(Fnv.Empty, (char)kind), value);
        return more is null ? hash : Fnv.Add(Fnv.Add(hash, '\uFFFF'), more);
    }

    private int Token(ulong token)
    {
        if (!_tokens.TryGetValue(token, out var id))
        {
            id = _parent.Count;
            _parent.Add(id);
            _tokens[token] = id;
        }

        return id;
    }

    private int Find(int id)
    {
        var root = id;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[id] != root)
        {
            (id, _parent[id]) = (_parent[id], root);
        }

        return root;
    }

    /// <summary>Joins two partitions; the smaller one's facts move into the larger, which must be rebuilt.</summary>
    private int Union(int left, int right)
    {
        var (a, b) = (Find(left), Find(right));
        if (a == b)
        {
            return a;
        }

        var aHeld = _partitions.GetValueOrDefault(a);
        var bHeld = _partitions.GetValueOrDefault(b);
        var (keep, merge, merged) = (aHeld?.Sequences.Count ?? 0) >= (bHeld?.Sequences.Count ?? 0) ? (a, b, bHeld) : (b, a, aHeld);
        _parent[merge] = keep;
        if (merged is not null)
        {
            if (!_partitions.TryGetValue(keep, out var kept))
            {
                kept = new Partition();
                Hold(kept, [], new StringPool());
                _partitions[keep] = kept;
            }

            kept.Sequences.AddRange(merged.Sequences);
            if (kept.Facts is not null && merged.Facts is not null)
            {
                kept.Facts.AddRange(merged.Facts);
                _heldFacts += merged.Facts.Count;
                Touch(kept);
            }
            else
            {
                // One side's facts were let go: both are read back when the joined partition is rebuilt.
                Release(kept);
            }

            Release(merged);
            _partitions.Remove(merge);
            _dirty.Add(keep);
        }

        _snapshotByPartition.Remove(merge);
        _dirty.Remove(merge);
        return keep;
    }
}

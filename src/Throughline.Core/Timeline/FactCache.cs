using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>The facts of the partitions used most recently, up to a number of facts; the others are read back from the store.</summary>
/// <remarks>
/// A partition is held whole or not at all. Held facts share the ids they repeat through a pool per partition, let go with
/// them. Not thread safe: one reader at a time.
/// </remarks>
internal sealed class FactCache(IEventStore store, StringPool pool, int capacity)
{
    private readonly Dictionary<int, Held> _held = [];
    private readonly LinkedList<int> _order = [];

    /// <summary>At most how many facts are held between rebuilds.</summary>
    public int Capacity => capacity;

    /// <summary>How many facts are held now.</summary>
    public long Count { get; private set; }

    /// <summary>How many facts were read back from the store, since start.</summary>
    public long Reread { get; private set; }

    /// <summary>Holds a new partition, with no facts yet, as the most recently used.</summary>
    public void Start(int partition) => Hold(partition, [], new StringPool());

    /// <summary>Adds a new fact to its partition's, when they are held.</summary>
    public void Add(int partition, Fact fact)
    {
        if (_held.TryGetValue(partition, out var held))
        {
            held.Facts.Add(FactReader.ShareIds(fact, held.Ids));
            Count++;
            Touch(held);
        }
    }

    /// <summary>Moves the facts of <paramref name="merged"/> into <paramref name="kept"/>; when either was let go, both are.</summary>
    public void Merge(int kept, int merged)
    {
        var into = _held.GetValueOrDefault(kept);
        var from = _held.GetValueOrDefault(merged);
        if (into is not null && from is not null)
        {
            into.Facts.AddRange(from.Facts);
            Count += from.Facts.Count;
            Touch(into);
        }
        else
        {
            // One side's facts were let go: both are read back when the joined partition is rebuilt.
            Release(kept);
        }

        Release(merged);
    }

    /// <summary>The facts of a partition: those held, else read back from the store (and then held).</summary>
    /// <param name="partition">The partition.</param>
    /// <param name="sequences">Its events' sequence numbers, sorted here in place.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public async Task<List<Fact>> FactsOfAsync(int partition, List<long> sequences, CancellationToken cancellationToken)
    {
        if (_held.TryGetValue(partition, out var held))
        {
            return held.Facts;
        }

        var ids = new StringPool();
        var facts = new List<Fact>(sequences.Count);
        sequences.Sort();
        foreach (var page in sequences.Chunk(StoreTail.PageSize))
        {
            foreach (var stored in await store.ReadSequencesAsync(page, cancellationToken))
            {
                if (FactReader.Read(stored, pool, ids) is { } fact)
                {
                    facts.Add(fact);
                }
            }
        }

        Reread += facts.Count;
        Hold(partition, facts, ids);
        return facts;
    }

    /// <summary>Lets go of the facts of the partitions used least recently until no more than <see cref="Capacity"/> are held.</summary>
    public void Trim()
    {
        while (Count > capacity && _order.First is { } oldest)
        {
            Release(oldest.Value);
        }
    }

    private void Hold(int partition, List<Fact> facts, StringPool ids)
    {
        _held[partition] = new Held(facts, ids, _order.AddLast(partition));
        Count += facts.Count;
    }

    private void Touch(Held held)
    {
        if (held.Node != _order.Last)
        {
            _order.Remove(held.Node);
            _order.AddLast(held.Node);
        }
    }

    /// <summary>Lets go of a partition's facts; the partitions keep its sequence numbers, to read them back.</summary>
    private void Release(int partition)
    {
        if (_held.Remove(partition, out var held))
        {
            _order.Remove(held.Node);
            Count -= held.Facts.Count;
        }
    }

    /// <summary>A held partition's facts, the pool their ids share, and its place in the order of use.</summary>
    private sealed record Held(List<Fact> Facts, StringPool Ids, LinkedListNode<int> Node);
}

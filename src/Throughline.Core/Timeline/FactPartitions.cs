using Throughline.Model;

namespace Throughline.Timeline;

/// <summary>Groups facts into partitions that share no link key (<see cref="FactLinks"/>), so each can be built on its own.</summary>
/// <remarks>
/// A union-find over the keys' 64-bit hashes: two keys that collide only join two partitions, which are then built
/// together, and building together gives the same result. Each partition keeps the sequence numbers of its events.
/// Not thread safe: one reader adds facts.
/// </remarks>
internal sealed class FactPartitions
{
    private readonly OperatingModel? _model;
    private readonly Action<int> _started;
    private readonly Action<int, int> _merged;
    private readonly Dictionary<ulong, int> _nodes = [];
    private readonly List<int> _parent = [];
    private readonly Dictionary<int, List<long>> _sequences = [];

    /// <summary>Partitions for facts mapped onto <paramref name="model"/>.</summary>
    /// <param name="model">The operating model, whose services link to their repositories.</param>
    /// <param name="started">Told each time a partition gets its first events.</param>
    /// <param name="merged">Told (kept, merged) each time a fact joins two partitions holding events: the merged one's events
    /// now belong to the kept one, which was started first if it had none.</param>
    public FactPartitions(OperatingModel? model, Action<int> started, Action<int, int> merged)
    {
        _model = model;
        _started = started;
        _merged = merged;
        foreach (var (service, repository) in FactLinks.ModelKeys(model))
        {
            Union(Node(service.Hash), Node(repository.Hash));
        }
    }

    /// <summary>How many partitions hold events.</summary>
    public int Count => _sequences.Count;

    /// <summary>Puts <paramref name="fact"/> in the partition of its keys, joining the partitions they were in.</summary>
    /// <returns>The partition.</returns>
    public int Add(Fact fact)
    {
        var partition = -1;
        foreach (var key in new FactLinks(fact, _model).Keys)
        {
            var node = Node(key.Hash);
            partition = partition < 0 ? Find(node) : Union(partition, node);
        }

        SequencesOrStart(partition).Add(fact.Sequence);
        return partition;
    }

    /// <summary>The sequence numbers of a partition's events; the caller may sort the list in place.</summary>
    public List<long> SequencesOf(int partition) => _sequences[partition];

    private List<long> SequencesOrStart(int partition)
    {
        if (!_sequences.TryGetValue(partition, out var sequences))
        {
            sequences = [];
            _sequences[partition] = sequences;
            _started(partition);
        }

        return sequences;
    }

    private int Node(ulong key)
    {
        if (!_nodes.TryGetValue(key, out var node))
        {
            node = _parent.Count;
            _parent.Add(node);
            _nodes[key] = node;
        }

        return node;
    }

    private int Find(int node)
    {
        var root = node;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[node] != root)
        {
            (node, _parent[node]) = (_parent[node], root);
        }

        return root;
    }

    /// <summary>Joins two partitions; the one with fewer events moves into the other.</summary>
    private int Union(int left, int right)
    {
        var (a, b) = (Find(left), Find(right));
        if (a == b)
        {
            return a;
        }

        var aEvents = _sequences.GetValueOrDefault(a);
        var bEvents = _sequences.GetValueOrDefault(b);
        var (keep, merge, moved) = (aEvents?.Count ?? 0) >= (bEvents?.Count ?? 0) ? (a, b, bEvents) : (b, a, aEvents);
        _parent[merge] = keep;
        if (moved is not null)
        {
            SequencesOrStart(keep).AddRange(moved);
            _sequences.Remove(merge);
            _merged(keep, merge);
        }

        return keep;
    }
}

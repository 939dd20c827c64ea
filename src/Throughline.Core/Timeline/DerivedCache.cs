using System.Collections.Concurrent;

namespace Throughline.Timeline;

/// <summary>
/// A key to work derived from a snapshot, and the type of that work. Each question declares its own key record, so two
/// questions never share an entry: records of different types are never equal, whatever they hold.
/// </summary>
/// <typeparam name="T">What is derived under the key.</typeparam>
/// <example><c>private sealed record AnswerKey(MetricsQuery Query) : DerivedKey&lt;DoraMetrics&gt;;</c></example>
internal abstract record DerivedKey<T>
    where T : class;

/// <summary>Work derived from one snapshot, kept as long as the snapshot lives: a snapshot never changes, so neither does what is derived from it.</summary>
/// <remarks>
/// Owned by its snapshot (<see cref="TimelineSnapshot.Derived"/>) and collected with it when the timeline moves on.
/// Thread safe: each value is computed once, however many readers ask at the same time.
/// </remarks>
internal sealed class DerivedCache
{
    /// <summary>Entries kept at most; past it the questions are simply recomputed.</summary>
    /// <remarks>A partition's snapshot holds one entry per scope asked about (Prometheus asks about every service), most of
    /// them small; the cap only stops a stream of ever-different windows from growing without end.</remarks>
    private const int MaxEntries = 4096;

    private readonly TimelineSnapshot _owner;
    private readonly ConcurrentDictionary<object, Lazy<object>> _entries = new();

    internal DerivedCache(TimelineSnapshot owner) => _owner = owner;

    /// <summary>How many values are kept now.</summary>
    public int Count => _entries.Count;

    /// <summary>The value for <paramref name="key"/>, computed by <paramref name="compute"/> the first time it is asked for.</summary>
    public T GetOrAdd<T>(DerivedKey<T> key, Func<T> compute)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(compute);
        if (_entries.Count >= MaxEntries && !_entries.ContainsKey(key))
        {
            _entries.Clear();
        }

        // The key's type says what its value is: the cast cannot fail.
        return (T)_entries.GetOrAdd(key, _ => new Lazy<object>(compute, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>
    /// <paramref name="derive"/> of each partition of the snapshot (of the snapshot itself when it was built in one piece),
    /// each kept with that partition's snapshot under <paramref name="key"/>.
    /// </summary>
    /// <remarks>After an event arrives only the partitions it touched are derived again: the others' snapshots are the same
    /// objects as before and still hold what was derived from them. Callers combine the per-partition values at query time.</remarks>
    public IReadOnlyList<T> PerPartition<T>(DerivedKey<T> key, Func<TimelineSnapshot, T> derive)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(derive);
        var parts = _owner.Parts;
        return parts.Count == 0
            ? [GetOrAdd(key, () => derive(_owner))]
            : GetOrAdd(new EachPartition<T>(key), () => (IReadOnlyList<T>)[.. parts.Select(part => part.Derived.GetOrAdd(key, () => derive(part)))]);
    }

    /// <summary>The list of the partitions' values under <paramref name="Key"/>, kept with the united snapshot.</summary>
    private sealed record EachPartition<T>(DerivedKey<T> Key) : DerivedKey<IReadOnlyList<T>>
        where T : class;
}

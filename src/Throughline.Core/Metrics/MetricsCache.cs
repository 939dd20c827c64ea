using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>Work derived from a snapshot, kept as long as the snapshot lives: a snapshot never changes, so neither does what is derived from it.</summary>
/// <remarks>Thread safe. Entries go with their snapshot when the timeline moves on and the old snapshot is collected.</remarks>
public static class MetricsCache
{
    /// <summary>Entries kept per snapshot at most; past it the questions are simply recomputed.</summary>
    /// <remarks>A partition's snapshot holds one entry per scope asked about (Prometheus asks about every service), most of
    /// them small; the cap only stops a stream of ever-different windows from growing without end.</remarks>
    private const int MaxEntriesPerSnapshot = 4096;

    private static readonly ConditionalWeakTable<TimelineSnapshot, ConcurrentDictionary<string, Lazy<object>>> Entries = [];

    /// <summary>The value for <paramref name="key"/> derived from <paramref name="snapshot"/>, computed once.</summary>
    public static T GetOrAdd<T>(TimelineSnapshot snapshot, string key, Func<T> compute)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(compute);
        var entries = Entries.GetValue(snapshot, _ => new ConcurrentDictionary<string, Lazy<object>>(StringComparer.Ordinal));
        if (entries.Count >= MaxEntriesPerSnapshot && !entries.ContainsKey(key))
        {
            entries.Clear();
        }

        return (T)entries.GetOrAdd(key, _ => new Lazy<object>(() => compute(), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>
    /// <paramref name="derive"/> of each partition of <paramref name="snapshot"/> (of the snapshot itself when it was built in
    /// one piece), each kept with that partition's snapshot.
    /// </summary>
    /// <remarks>After an event arrives only the partitions it touched are derived again: the others' snapshots are the same
    /// objects as before and still hold what was derived from them. Callers combine the per-partition values at query time.</remarks>
    public static IReadOnlyList<T> PerPartition<T>(TimelineSnapshot snapshot, string key, Func<TimelineSnapshot, T> derive)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(derive);
        return snapshot.Parts.Count == 0
            ? [GetOrAdd(snapshot, key, () => derive(snapshot))]
            : GetOrAdd(snapshot, key + "\nparts", () => (IReadOnlyList<T>)[.. snapshot.Parts.Select(part => GetOrAdd(part, key, () => derive(part)))]);
    }
}

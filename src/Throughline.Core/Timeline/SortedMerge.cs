namespace Throughline.Timeline;

/// <summary>Merges lists that are each sorted into one sorted array, as a stable sort of their concatenation would order it.</summary>
internal static class SortedMerge
{
    /// <summary>The items of <paramref name="lists"/> in <paramref name="compare"/> order; ties keep list order, then position.</summary>
    /// <remarks>O(n log k) for n items in k lists: merging the partitions of a timeline costs far less than sorting it again.</remarks>
    public static T[] Of<T>(IReadOnlyList<IReadOnlyList<T>> lists, Comparison<T> compare)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(compare);
        var nonEmpty = lists.Where(l => l.Count > 0).ToList();
        if (nonEmpty.Count == 1 && nonEmpty[0] is T[] only)
        {
            return only;
        }

        var merged = new T[nonEmpty.Sum(l => l.Count)];
        var heads = new PriorityQueue<int, (T Item, int List)>(
            nonEmpty.Count, Comparer<(T Item, int List)>.Create((a, b) => compare(a.Item, b.Item) is var order && order != 0 ? order : a.List.CompareTo(b.List)));
        var positions = new int[nonEmpty.Count];
        for (var list = 0; list < nonEmpty.Count; list++)
        {
            heads.Enqueue(list, (nonEmpty[list][0], list));
        }

        for (var next = 0; next < merged.Length; next++)
        {
            var list = heads.Dequeue();
            var source = nonEmpty[list];
            merged[next] = source[positions[list]++];
            if (positions[list] < source.Count)
            {
                heads.Enqueue(list, (source[positions[list]], list));
            }
        }

        return merged;
    }
}

namespace Throughline.Metrics;

/// <summary>Windows over time-sorted arrays: the items within [From, To) by binary search, without scanning.</summary>
internal static class TimeRange
{
    /// <summary>The items with From ≤ time &lt; To of each of several arrays sorted by <paramref name="time"/>, gathered in the arrays' order.</summary>
    /// <remarks>A binary search at each end of each array.</remarks>
    public static List<T> Of<T>(IEnumerable<T[]> parts, Func<T, DateTimeOffset> time, MetricsQuery query)
    {
        var items = new List<T>();
        foreach (var slice in Slices(parts, time, query))
        {
            items.AddRange(slice);
        }

        return items;
    }

    /// <summary>The items with From ≤ time &lt; To of each of several arrays sorted by <paramref name="time"/>, as slices of those arrays (no copy).</summary>
    public static List<ArraySegment<T>> Slices<T>(IEnumerable<T[]> parts, Func<T, DateTimeOffset> time, MetricsQuery query)
    {
        var slices = new List<ArraySegment<T>>();
        foreach (var sorted in parts)
        {
            var low = LowerBound(sorted, time, query.From);
            slices.Add(new ArraySegment<T>(sorted, low, LowerBound(sorted, time, query.To) - low));
        }

        return slices;
    }

    /// <summary>The items of <paramref name="sorted"/> with a time at or after <paramref name="since"/> (its last ones), by binary search.</summary>
    public static ReadOnlySpan<T> Since<T>(T[] sorted, Func<T, DateTimeOffset> time, DateTimeOffset since) => sorted.AsSpan(LowerBound(sorted, time, since));

    private static int LowerBound<T>(T[] sorted, Func<T, DateTimeOffset> time, DateTimeOffset value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (time(sorted[middle]) < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

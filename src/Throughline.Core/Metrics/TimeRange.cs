namespace Throughline.Metrics;

/// <summary>Windows over time-sorted arrays: the items within [From, To) by binary search, without scanning.</summary>
internal static class TimeRange
{
    /// <summary>The items of <paramref name="sorted"/> (ascending by <paramref name="time"/>) with From ≤ time &lt; To.</summary>
    public static List<T> Of<T>(T[] sorted, Func<T, DateTimeOffset> time, MetricsQuery query)
    {
        var low = LowerBound(sorted, time, query.From);
        var high = LowerBound(sorted, time, query.To);
        return [.. sorted.AsSpan(low, high - low)];
    }

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

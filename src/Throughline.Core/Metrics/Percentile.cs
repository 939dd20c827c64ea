namespace Throughline.Metrics;

/// <summary>Percentiles: the one owner of how Throughline ranks values.</summary>
/// <remarks>
/// Metrics use linear interpolation between closest ranks (PERCENTILE_CONT, as SQL and the DORA report do):
/// <see cref="Of"/> and <see cref="OfUnsorted(double[], double[])"/>. The benchmark harness reports measured latencies by
/// the nearest rank (<see cref="NearestRank"/>), so that every figure it prints is a value that was measured.
/// </remarks>
public static class Percentile
{
    /// <summary>
    /// The nearest-rank <paramref name="percent"/>-th percentile (0 &lt; percent ≤ 100) of <paramref name="sorted"/>
    /// (ascending, not empty): the smallest value with at least that share of the values at or below it.
    /// </summary>
    public static double NearestRank(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The <paramref name="fraction"/> percentile (0 to 1) of sorted values; null when there are none.</summary>
    public static double? Of(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = fraction * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>
    /// The percentiles <paramref name="fractions"/> (ascending, 0 to 1) of values in any order, equal to <see cref="Of"/>
    /// of them sorted; nulls when there are none. The array is reordered.
    /// </summary>
    /// <remarks>Only the ranks needed are put in place (selection, linear on average), where a sort of a year of a large
    /// organisation's changes cost most of a cold answer.</remarks>
    public static double?[] OfUnsorted(double[] values, params double[] fractions) => OfUnsorted(values.AsSpan(), fractions);

    /// <summary>As <see cref="OfUnsorted(double[], double[])"/>, over a span (a rented buffer, say); the span is reordered.</summary>
    public static double?[] OfUnsorted(Span<double> values, params double[] fractions)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        var results = new double?[fractions.Length];
        if (values.Length == 0)
        {
            return results;
        }

        var from = 0;
        for (var i = 0; i < fractions.Length; i++)
        {
            var rank = fractions[i] * (values.Length - 1);
            var lower = (int)Math.Floor(rank);
            var upper = (int)Math.Ceiling(rank);
            var low = Select(values, Math.Min(from, lower), lower);
            var high = upper == lower ? low : Select(values, lower + 1, upper);
            from = upper;
            results[i] = low + ((rank - lower) * (high - low));
        }

        return results;
    }

    /// <summary>Puts the <paramref name="k"/>-th smallest of values[from..] at index k, smaller ones before it and larger after.</summary>
    /// <remarks>Everything before <paramref name="from"/> must already be no larger than what follows it.</remarks>
    private static double Select(Span<double> values, int from, int k)
    {
        int left = from, right = values.Length - 1;
        while (left < right)
        {
            var pivot = MedianOfThree(values[left], values[left + ((right - left) / 2)], values[right]);
            int lessEnd = left, scan = left, greaterStart = right;
            while (scan <= greaterStart)
            {
                if (values[scan] < pivot)
                {
                    (values[lessEnd], values[scan]) = (values[scan], values[lessEnd]);
                    lessEnd++;
                    scan++;
                }
                else if (values[scan] > pivot)
                {
                    (values[scan], values[greaterStart]) = (values[greaterStart], values[scan]);
                    greaterStart--;
                }
                else
                {
                    scan++;
                }
            }

            if (k < lessEnd)
            {
                right = lessEnd - 1;
            }
            else if (k > greaterStart)
            {
                left = greaterStart + 1;
            }
            else
            {
                return pivot;
            }
        }

        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
}

using System.Globalization;

namespace Throughline.Bench;

/// <summary>Percentiles of measured durations in milliseconds, by the nearest-rank method.</summary>
/// <remarks>
/// The p-th percentile is the smallest measured value with at least p % of the values at or below it, so every figure is a
/// value that was measured (no interpolation); with fewer than 100 values, p99 is the maximum.
/// </remarks>
/// <param name="Count">How many durations were measured.</param>
/// <param name="P50">The median.</param>
/// <param name="P90">The 90th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Max">The largest.</param>
internal sealed record Latencies(int Count, double P50, double P90, double P99, double Max)
{
    /// <summary>Summarises <paramref name="milliseconds"/>; null when there are none.</summary>
    public static Latencies? Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? null
            : new Latencies(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted[^1]);
    }

    /// <summary>The nearest-rank <paramref name="percent"/>-th percentile of <paramref name="sorted"/> (<see cref="Metrics.Percentile.NearestRank"/>).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent) => Metrics.Percentile.NearestRank(sorted, percent);

    /// <summary>Milliseconds between two <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> readings.</summary>
    public static double Milliseconds(long start, long end) => System.Diagnostics.Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;

    /// <summary><c>p50 1.2, p90 3.4, p99 5.6, max 7.8 ms</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {P50:N1}, p90 {P90:N1}, p99 {P99:N1}, max {Max:N1} ms");
}

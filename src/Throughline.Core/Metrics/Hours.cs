namespace Throughline.Metrics;

/// <summary>Sums of durations in hours that do not depend on the order they are added in.</summary>
/// <remarks>Each duration is counted in whole ticks (a duration between two timestamps is one), so a sum over partitions
/// gathered in any order is the same number to the last bit.</remarks>
internal static class Hours
{
    public static double Sum(IEnumerable<double> hours)
    {
        Int128 ticks = 0;
        foreach (var value in hours)
        {
            ticks += Ticks(value);
        }

        return Of(ticks);
    }

    /// <summary>A duration in hours as the whole ticks it is counted in.</summary>
    public static long Ticks(double hours) => (long)Math.Round(hours * TimeSpan.TicksPerHour);

    /// <summary>A sum of whole ticks in hours.</summary>
    public static double Of(Int128 ticks) => (double)ticks / TimeSpan.TicksPerHour;
}

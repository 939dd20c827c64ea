namespace Throughline.Metrics;

/// <summary>
/// How long work usually has been at a stage when one looks: the rule behind the board's "longer than usual".
/// </summary>
/// <remarks>
/// <para>The board compares a card's age at its stage (now − when it entered) with the ages of the cards that were at the
/// same stage at the same time of the week in each of the last <see cref="Weeks"/> weeks: the
/// <see cref="Fraction"/> percentile of those ages (PERCENTILE_CONT). A card older than that is flagged.</para>
/// <para>Why ages at the same time of the week, not the durations of the stays that ended: the cards still waiting
/// are the long stays (a stay of ten days is on the board ten times as long as a stay of one), and work waits over
/// weekends and until weekly releases; compared with durations, far more than 15 % of the cards would be flagged, and
/// more every Monday. Compared with ages seen at the same moment of earlier weeks, about 15 % are, by construction.</para>
/// </remarks>
internal static class UsualAge
{
    /// <summary>The share of earlier cards a card must have outlasted to be flagged.</summary>
    public const double Fraction = 0.85;

    /// <summary>How many earlier weeks are looked at.</summary>
    public const int Weeks = 4;

    /// <summary>Fewer ages than this at those moments: no judgement (null).</summary>
    public const int MinimumAges = 10;

    /// <summary>The moments looked at: the same time of the week, one to <see cref="Weeks"/> weeks before <paramref name="now"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Moments(DateTimeOffset now) => [.. Enumerable.Range(1, Weeks).Select(k => now.AddDays(-7 * k))];

    /// <summary>The usual age in hours, or null with fewer than <see cref="MinimumAges"/> ages.</summary>
    /// <param name="stays">Stays at the stage: when each entered it and when it left (null while still there).</param>
    /// <param name="now">The board's time.</param>
    public static double? Of(IEnumerable<(DateTimeOffset Entered, DateTimeOffset? Left)> stays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stays);
        var moments = Moments(now);
        var ages = new List<double>();
        foreach (var (entered, left) in stays)
        {
            foreach (var moment in moments)
            {
                if (entered <= moment && (left is null || left > moment))
                {
                    ages.Add((moment - entered).TotalHours);
                }
            }
        }

        return ages.Count < MinimumAges ? null : Percentile.OfUnsorted([.. ages], Fraction)[0];
    }
}

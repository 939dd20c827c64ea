using System.Globalization;
using Throughline.Model;

namespace Throughline.Metrics;

/// <summary>Reads a metrics query from text (query string or command line), with a clear reason when it cannot.</summary>
public static class MetricsQueryReader
{
    /// <summary>Reads the window and scope; <paramref name="problems"/> lists what is wrong when it returns null.</summary>
    /// <remarks>A window beyond the limits of <see cref="MetricsQuery"/> (its ends' range, its length) is a problem, never an exception.</remarks>
    /// <param name="from">ISO 8601 instant or date (UTC when no offset), inclusive; default 30 days before <paramref name="to"/>.</param>
    /// <param name="to">ISO 8601 instant or date, exclusive; default <paramref name="now"/>.</param>
    /// <param name="service">A service id, or null.</param>
    /// <param name="team">A team id, or null.</param>
    /// <param name="environment">An environment id, or null for every production environment.</param>
    /// <param name="now">The current time.</param>
    /// <param name="model">The operating model, to check the team.</param>
    /// <param name="problems">Receives one line per problem.</param>
    public static MetricsQuery? Read(
        string? from, string? to, string? service, string? team, string? environment, DateTimeOffset now, OperatingModel? model, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        // The default end is now, rounded up to the next minute: answers about "the last 30 days" can then be kept
        // with the snapshot for a minute instead of one per request. No event is stored in the future.
        var end = Instant(to, "to", found) ?? new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        var start = Instant(from, "from", found) ?? end.AddDays(-30);
        var query = new MetricsQuery(start, end, Blank(service), Blank(team), Blank(environment));
        if (found.Count == 0)
        {
            found.AddRange(query.Problems(model));
        }

        problems = found;
        return found.Count == 0 ? query : null;
    }

    /// <summary>The question asked with no window nor scope: the last 30 days up to the next minute, every service (as <see cref="Read"/> reads it).</summary>
    public static MetricsQuery Default(DateTimeOffset now) =>
        Read(null, null, null, null, null, now, null, out var problems) ?? throw new InvalidOperationException(string.Join("; ", problems));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// An ISO 8601 instant or date (UTC when no offset) from a query parameter or option named <paramref name="name"/>;
    /// null when blank, and null with one line added to <paramref name="problems"/> when it is not a time or lies outside
    /// the times a question may name (<see cref="MetricsQuery.RangeProblem"/>).
    /// </summary>
    public static DateTimeOffset? Instant(string? text, string name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            problems.Add($"'{name}' is '{text}', not an ISO 8601 time (expected for example 2026-03-01 or 2026-03-01T00:00:00Z)");
            return null;
        }

        if (MetricsQuery.RangeProblem(value, name) is { } outside)
        {
            problems.Add(outside);
            return null;
        }

        return value;
    }
}

using System.Globalization;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>What a metrics question covers: a window and a scope.</summary>
/// <remarks>
/// <para><see cref="From"/> is inclusive and <see cref="To"/> exclusive, both UTC instants. A deployment is in the window
/// when its time is; a change when its first production delivery is; a stage interval when it ended in it.</para>
/// <para>Scope: <see cref="Service"/> keeps one service; <see cref="Team"/> the services the team owns in the model;
/// <see cref="Environment"/> one environment (by default every production environment).</para>
/// <para>Limits (docs/reliability.md, "Question limits"): both ends lie in [<see cref="Earliest"/>, <see cref="Latest"/>],
/// the window is at most <see cref="MaxWindowDays"/> days, and a series at most <see cref="MaxIntervals"/> intervals.
/// <see cref="Problems"/> and <see cref="IntervalProblems"/> name the limit a question goes beyond; the API and the pages
/// answer those with a 400, so no question costs more than the limits allow.</para>
/// </remarks>
public sealed record MetricsQuery(DateTimeOffset From, DateTimeOffset To, string? Service = null, string? Team = null, string? Environment = null)
{
    /// <summary>The earliest time a window may start: no delivery tool's events predate it.</summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest time a window may end: far enough from <see cref="DateTimeOffset.MaxValue"/> that a week or a day
    /// added to a time in the window (series and queue buckets) stays in range.</summary>
    public static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The longest window, in days: ten years (3,653 days, leap days included), room for "since we started".</summary>
    public const int MaxWindowDays = 3653;

    /// <summary>The most intervals (days or weeks) a series may hold.</summary>
    public const int MaxIntervals = 1000;

    /// <summary>The intervals a series may be split into.</summary>
    public static IReadOnlyList<string> IntervalNames { get; } = ["day", "week"];

    /// <summary>The default window: the 30 days up to <paramref name="now"/>.</summary>
    public static MetricsQuery LastThirtyDays(DateTimeOffset now) => new(now.AddDays(-30), now);

    /// <summary>The window's length in days (fractional).</summary>
    public double Days => (To - From).TotalDays;

    /// <summary>True when <paramref name="time"/> is in [From, To).</summary>
    public bool Contains(DateTimeOffset time) => time >= From && time < To;

    /// <summary>Whether a service is in scope under <paramref name="model"/>.</summary>
    public bool Covers(string service, OperatingModel? model) =>
        (Service is null || Service == service)
        && (Team is null || model?.FindService(service)?.Owner == Team);

    /// <summary>Whether an incident is in scope: its service is (<see cref="Covers(string, OperatingModel?)"/>), or it names none.</summary>
    /// <remarks>An incident naming no service is in every scope: it cannot be placed, and leaving it out would hide it. Its
    /// environment is not asked: a paging tool's incidents are in the model's production environment unless they say.</remarks>
    public bool CoversIncident(IncidentRecord incident, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.Service is null || Covers(incident.Service, model);
    }

    /// <summary>Whether an environment is in scope: the one asked for, else any production environment.</summary>
    public bool CoversEnvironment(string environment, bool production) =>
        Environment is null ? production : Environment == environment;

    /// <summary>Problems with the query, one line each (for 400 answers and the command line).</summary>
    public IReadOnlyList<string> Problems(OperatingModel? model)
    {
        var problems = new List<string>();
        if (To <= From)
        {
            problems.Add($"'to' ({To:O}) must be after 'from' ({From:O})");
        }
        else if (To - From > TimeSpan.FromDays(MaxWindowDays))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the window from {From:O} to {To:O} is {Math.Ceiling(Days)} days; a question covers at most {MaxWindowDays} days (ten years): ask for a shorter window"));
        }

        if (Team is not null && model is not null && model.Teams.All(t => t.Id != Team))
        {
            problems.Add($"unknown team '{Team}' {Suggestions.Hint(Team, [.. model.Teams.Select(t => t.Id)])}");
        }

        if (Team is not null && model is null)
        {
            problems.Add("'team' needs an operating model (serve --model FILE) to know which services a team owns");
        }

        return problems;
    }

    /// <summary>
    /// A problem with a time outside [<see cref="Earliest"/>, <see cref="Latest"/>] given as <paramref name="name"/>, or null.
    /// </summary>
    public static string? RangeProblem(DateTimeOffset time, string name) =>
        time < Earliest || time > Latest
            ? $"'{name}' is {time:O}; times in a question lie from {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}"
            : null;

    /// <summary>
    /// Problems with a series split by <paramref name="interval"/> (<c>day</c>, <c>week</c>, or null for no series): an
    /// unknown interval, or more than <see cref="MaxIntervals"/> of them in the window.
    /// </summary>
    public IReadOnlyList<string> IntervalProblems(string? interval)
    {
        if (interval is null)
        {
            return [];
        }

        if (!IntervalNames.Contains(interval))
        {
            return [$"'interval' is '{interval}', not {string.Join(" or ", IntervalNames)}"];
        }

        var count = Intervals(weekly: interval == "week");
        return count > MaxIntervals
            ? [$"interval={interval} splits the window into {count} intervals; a series holds at most {MaxIntervals} intervals: ask for " +
                (interval == "day" ? "interval=week or " : "") + "a shorter window"]
            : [];
    }

    /// <summary>How many intervals a series over this window holds: UTC days, or weeks starting on Monday, the first and last
    /// partial ones included.</summary>
    public int Intervals(bool weekly)
    {
        var start = SeriesStart(weekly);
        var step = TimeSpan.FromDays(weekly ? 7 : 1);
        return To <= start ? 0 : (int)Math.Min(int.MaxValue, (To - start).Ticks / step.Ticks + ((To - start).Ticks % step.Ticks == 0 ? 0 : 1));
    }

    /// <summary>Where a series' first interval starts: the UTC day of <see cref="From"/>, or the Monday of its week.</summary>
    public DateTimeOffset SeriesStart(bool weekly)
    {
        var day = new DateTimeOffset(From.UtcDateTime.Date, TimeSpan.Zero);
        return weekly ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
    }

    /// <summary>
    /// Problems with <see cref="Service"/> and <see cref="Environment"/>: each must be named by the model or seen in the
    /// timeline, or nothing could ever match it (a typo answers with zeros otherwise). One line each, with a suggestion.
    /// </summary>
    /// <remarks>Nothing is reported while neither the model nor the timeline names any service (an empty database).</remarks>
    public IReadOnlyList<string> ScopeProblems(TimelineSnapshot snapshot, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        if (Service is not null)
        {
            var services = new SortedSet<string>(StringComparer.Ordinal);
            services.UnionWith(model?.Services.Select(s => s.Id) ?? []);
            services.UnionWith(snapshot.Deployments.Select(d => d.Service));
            services.UnionWith(snapshot.Changes.Values.SelectMany(c => c.Services));
            services.UnionWith(snapshot.Incidents.Select(i => i.Service).OfType<string>());
            if (services.Count > 0 && !services.Contains(Service))
            {
                problems.Add($"unknown service '{Service}' {Suggestions.Hint(Service, services)}");
            }
        }

        if (Environment is not null)
        {
            var environments = new SortedSet<string>(StringComparer.Ordinal);
            environments.UnionWith(model?.Environments.Select(e => e.Id) ?? []);
            environments.UnionWith(snapshot.Deployments.Select(d => d.Environment));
            if (environments.Count > 0 && !environments.Contains(Environment))
            {
                problems.Add($"unknown environment '{Environment}' {Suggestions.Hint(Environment, environments)}");
            }
        }

        return problems;
    }
}

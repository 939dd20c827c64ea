using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>What a metrics question covers: a window and a scope.</summary>
/// <remarks>
/// <para><see cref="From"/> is inclusive and <see cref="To"/> exclusive, both UTC instants. A deployment is in the window
/// when its time is; a change when its first production delivery is; a stage interval when it ended in it.</para>
/// <para>Scope: <see cref="Service"/> keeps one service; <see cref="Team"/> the services the team owns in the model;
/// <see cref="Environment"/> one environment (by default every production environment).</para>
/// </remarks>
public sealed record MetricsQuery(DateTimeOffset From, DateTimeOffset To, string? Service = null, string? Team = null, string? Environment = null)
{
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

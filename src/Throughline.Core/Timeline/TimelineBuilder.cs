using Throughline.Intake;
using Throughline.Model;

namespace Throughline.Timeline;

/// <summary>Correlates facts into change timelines, deployments and incidents, by the rules of docs/timeline.md.</summary>
/// <remarks>
/// A pure function: facts are put in their canonical order (time, source, id) first, so the result never
/// depends on arrival order; duplicates (same source and id) count once.
/// </remarks>
internal sealed partial class TimelineBuilder(OperatingModel? model)
{
    private static readonly TimeSpan DefaultAttributionWindow = HealthSettings.DefaultAttributionWindow;
    private readonly Dictionary<string, ChangeBuilder> _changes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _changeByChain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _changeBySha = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _changeByArtifact = new(StringComparer.Ordinal);
    private readonly List<Fact> _deploymentFacts = [];
    private readonly List<Fact> _incidentFacts = [];
    private readonly List<Fact> _otherFacts = [];
    private readonly List<Fact> _checkFacts = [];
    private readonly List<Fact> _healthFacts = [];
    private readonly List<Fact> _pushFacts = [];
    private readonly Dictionary<(string Stage, string? Team, StageStatus Status), StageInterval> _untimed = [];
    private readonly Dictionary<string, List<string>> _serviceLists = new(StringComparer.Ordinal);

    /// <summary>Builds the snapshot of <paramref name="facts"/> under <paramref name="model"/>.</summary>
    public static TimelineSnapshot Build(IEnumerable<Fact> facts, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var ordered = facts.DistinctBy(f => (f.Source, f.Id)).ToList();
        ordered.Sort(Fact.Compare);
        return new TimelineBuilder(model).Run(ordered);
    }

    private sealed class ChangeBuilder(string id)
    {
        public string Id { get; } = id;

        public string? Repository { get; set; }

        /// <summary>The best title known: the first explicit one of the change's events, else the first description.</summary>
        public string? Title => ExplicitTitle ?? Description;

        public string? ExplicitTitle { get; set; }

        public string? Description { get; set; }

        public string? Author { get; set; }

        public DateTimeOffset? FirstCommitAt { get; set; }

        /// <summary>The head branch, in <see cref="Repository"/>, that pushes join the change by.</summary>
        public string? Branch { get; set; }

        /// <summary>The earliest commit time of the pushes joined to the change by its branch.</summary>
        public DateTimeOffset? PushedCommitAt { get; set; }

        public DateTimeOffset? CreatedAt { get; set; }

        public DateTimeOffset? FirstReviewAt { get; set; }

        public int Reviews { get; set; }

        public DateTimeOffset? MergedAt { get; set; }

        public DateTimeOffset? AbandonedAt { get; set; }

        public string? MergeSha { get; set; }

        public List<string> Paths { get; } = [];

        public int MergeIndex { get; set; }

        public List<string> Services { get; set; } = [];

        public List<string> Artifacts { get; } = [];

        public List<Fact> Events { get; } = [];

        public List<ChangeDelivery> Deliveries { get; } = [];

        public List<Fact> DeploymentEvents { get; } = [];
    }

    private TimelineSnapshot Run(List<Fact> facts)
    {
        // Change facts first: an artifact, run or ticket is linked through the chain or commit of its change, whatever
        // their timestamps say (an artifact may be built from a pull request's head before the merge is seen).
        foreach (var fact in facts.Where(f => f.Subject == "change"))
        {
            Index(fact);
        }

        foreach (var fact in facts.Where(f => f.Subject != "change"))
        {
            Index(fact);
        }

        foreach (var change in _changes.Values)
        {
            change.Services = ServicesOf(change);
        }

        JoinPushes();

        foreach (var fact in _otherFacts)
        {
            if (LinkedChange(fact) is { } change)
            {
                change.Events.Add(fact);
            }
        }

        var deployments = Deliver();
        var production = ProductionByTarget(deployments);
        var incidents = Attribute(production);
        AttachChecks(deployments, production);
        var firstProductionDeployment = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var deployment in deployments.Where(d => d.Production))
        {
            firstProductionDeployment.TryAdd(deployment.Service, deployment.Fact.Time);
        }

        var changes = _changes.Values
            .Select(c => Finish(c, firstProductionDeployment))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        return new TimelineSnapshot(
            changes, TimelineSnapshot.Ordered(deployments.Select(d => d.ToDeployment())), TimelineSnapshot.Ordered(incidents), facts.Count, facts.Count > 0 ? facts[^1].Time : null);
    }

    private void Index(Fact fact)
    {
        var links = new FactLinks(fact, model);
        switch (fact.Subject)
        {
            case "change" when links.Change is { } id:
                var change = Change(id);
                change.Events.Add(fact);
                Absorb(change, fact, links);
                break;
            case "artifact" when fact.Predicate == "packaged" && links.Artifact is { } artifact && ResolveChange(links) is { } packagedFrom:
                _changeByArtifact.TryAdd(artifact, packagedFrom);
                var packaged = Change(packagedFrom);
                if (!packaged.Artifacts.Contains(artifact))
                {
                    packaged.Artifacts.Add(artifact);
                }

                packaged.Events.Add(fact);
                break;
            case "service" when fact.Predicate is "deployed" or "upgraded" or "rolledback" && fact.Service is not null && fact.Environment is not null:
                _deploymentFacts.Add(fact);
                break;
            case "incident":
                _incidentFacts.Add(fact);
                break;
            case not null when ReservedSources.IsHealth(fact.Source):
                _healthFacts.Add(fact);
                break;
            case "git-push" when fact.Predicate == "received" && links.Branch is not null:
                _pushFacts.Add(fact);
                break;
            default:
                if (fact.Predicate == "finished" && fact.Subject is "testsuiterun" or "pipelinerun" && fact.Environment is not null)
                {
                    _checkFacts.Add(fact);
                }

                _otherFacts.Add(fact);
                break;
        }
    }

    private ChangeBuilder Change(string id)
    {
        if (!_changes.TryGetValue(id, out var change))
        {
            change = new ChangeBuilder(id);
            _changes[id] = change;
        }

        return change;
    }

    private void Absorb(ChangeBuilder change, Fact fact, FactLinks links)
    {
        change.Repository ??= links.Repository;
        change.ExplicitTitle ??= fact.Title;
        change.Description ??= fact.Description;
        change.Author ??= fact.Author;
        change.Branch ??= links.Branch;
        if (fact.FirstCommitAt is { } firstCommit && (change.FirstCommitAt is null || firstCommit < change.FirstCommitAt))
        {
            change.FirstCommitAt = firstCommit;
        }

        if (links.Chain is { } chain)
        {
            _changeByChain.TryAdd(chain, change.Id);
        }

        foreach (var path in fact.Paths ?? [])
        {
            if (!change.Paths.Contains(path))
            {
                change.Paths.Add(path);
            }
        }

        switch (fact.Predicate)
        {
            case "created":
                change.CreatedAt ??= fact.Time;
                break;
            case "reviewed":
                change.Reviews++;
                change.FirstReviewAt ??= fact.Time;
                break;
            case "merged":
                change.MergedAt ??= fact.Time;
                change.MergeSha ??= fact.Sha;
                if (links.Sha is { } sha)
                {
                    _changeBySha.TryAdd(sha, change.Id);
                }

                break;
            case "abandoned":
                change.AbandonedAt ??= fact.Time;
                break;
        }
    }

    /// <summary>The model's services a change belongs to: those holding its repository, narrowed by paths when both sides give them.</summary>
    private List<string> ServicesOf(ChangeBuilder change)
    {
        if (model is null || change.Repository is null)
        {
            return [];
        }

        var candidates = model.ServicesOfRepository(change.Repository).ToList();
        if (change.Paths.Count > 0 && candidates.Any(s => s.Paths.Count > 0))
        {
            var byPath = candidates.Where(s => s.Paths.Count == 0 || s.Paths.Any(glob => change.Paths.Any(path => PathGlob.Matches(glob, path)))).ToList();
            if (byPath.Count > 0)
            {
                candidates = byPath;
            }
        }

        // Changes of one service share one list: a million changes name a few dozen services.
        var key = string.Join('\n', candidates.Select(s => s.Id));
        if (!_serviceLists.TryGetValue(key, out var services))
        {
            services = [.. candidates.Select(s => s.Id)];
            _serviceLists[key] = services;
        }

        return services;
    }

    private bool IsProduction(string environment) => OperatingModel.IsProduction(model, environment);

    private TimeSpan AttributionWindow => model?.Health.AttributionWindow ?? DefaultAttributionWindow;
}

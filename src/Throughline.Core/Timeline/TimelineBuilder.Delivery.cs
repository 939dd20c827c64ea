namespace Throughline.Timeline;

internal sealed partial class TimelineBuilder
{
    private sealed class DeploymentBuilder(Fact fact, string service, bool production)
    {
        public Fact Fact { get; } = fact;

        public string Service { get; } = service;

        public bool Production { get; } = production;

        /// <summary>A rollback: the tool said so (<c>service.rolledback</c>), or it deployed an artifact this service and environment
        /// ran before, other than the one running.</summary>
        public bool IsRollback { get; set; } = fact.Predicate == "rolledback";

        public string? ChangeId { get; set; }

        public List<Fact> Checks { get; } = [];

        public List<Fact> HealthEvents { get; } = [];

        public DeploymentBuilder? Next { get; set; }

        public List<string> Delivered { get; } = [];

        public List<string> Incidents { get; } = [];

        public DateTimeOffset? RolledBackAt { get; set; }

        public Deployment ToDeployment() => new(
            Fact.Id, Service, Fact.Environment!, Production, Fact.Time, Fact.ArtifactId, IsRollback, ChangeId, Delivered, Incidents, RolledBackAt, Fact.Source,
            Checks.Count == 0 ? [] : Checks, HealthEvents.Count == 0 ? [] : HealthEvents, Next is null ? null : new DeploymentKey(Next.Fact.Source, Next.Fact.Id), Next?.Fact.Time);
    }

    /// <summary>
    /// The delivery rule: a forward deployment of artifact A to (S, E) delivers A's change C and every other
    /// merged change of C's repository merged at or before C that no earlier deployment delivered to (S, E).
    /// A rollback (a <c>service.rolledback</c>, or an artifact that first ran in the service and environment before the running one did)
    /// delivers nothing; an artifact with no known change delivers nothing.
    /// </summary>
    private List<DeploymentBuilder> Deliver()
    {
        var deployments = _deploymentFacts
            .Select(f => new DeploymentBuilder(f, new FactLinks(f, model).Service!, IsProduction(f.Environment!)))
            .ToList();
        var mergedByRepository = _changes.Values
            .Where(c => c.MergedAt is not null && c.Repository is not null)
            .GroupBy(c => c.Repository!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.MergedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var list in mergedByRepository.Values)
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i].MergeIndex = i;
            }
        }

        foreach (var target in deployments.GroupBy(d => (d.Service, d.Fact.Environment)))
        {
            var delivered = new HashSet<string>(StringComparer.Ordinal);
            var nextIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            var firstRan = new Dictionary<string, int>(StringComparer.Ordinal);
            DeploymentBuilder? previous = null;
            foreach (var deployment in target)
            {
                // Back to an artifact that first ran before the running one did: a rollback, whatever the tool called it.
                if (deployment.Fact.ArtifactId is { } artifact && previous?.Fact.ArtifactId is { } running && artifact != running
                    && firstRan.TryGetValue(artifact, out var order) && order < firstRan[running])
                {
                    deployment.IsRollback = true;
                }

                if (deployment.IsRollback && previous is not null)
                {
                    previous.RolledBackAt = deployment.Fact.Time;
                }

                if (previous is not null)
                {
                    previous.Next = deployment;
                }

                if (deployment.Fact.ArtifactId is { } deployed)
                {
                    firstRan.TryAdd(deployed, firstRan.Count);
                }

                previous = deployment;
                var change = ArtifactChange(deployment.Fact);
                deployment.ChangeId = change?.Id;
                if (deployment.IsRollback || change is null)
                {
                    continue;
                }

                if (change.MergedAt is not null && change.Repository is not null && mergedByRepository.TryGetValue(change.Repository, out var merged))
                {
                    var from = nextIndex.GetValueOrDefault(change.Repository);
                    var until = change.MergeIndex;
                    while (until + 1 < merged.Count && merged[until + 1].MergedAt == change.MergedAt)
                    {
                        until++; // "merged at or before C": changes merged at the same instant ride along too
                    }

                    for (var i = from; i <= until; i++)
                    {
                        var candidate = merged[i];
                        if ((candidate == change || candidate.Services.Count == 0 || candidate.Services.Contains(deployment.Service)) && delivered.Add(candidate.Id))
                        {
                            Record(candidate, deployment, rodeAlong: candidate != change);
                        }
                    }

                    nextIndex[change.Repository] = Math.Max(from, until + 1);
                    if (delivered.Add(change.Id))
                    {
                        // Its own change always: an earlier deployment of another service's artifact may have moved past it.
                        Record(change, deployment, rodeAlong: false);
                    }
                }
                else if (delivered.Add(change.Id))
                {
                    Record(change, deployment, rodeAlong: false);
                }
            }
        }

        return deployments;
    }

    private static void Record(ChangeBuilder change, DeploymentBuilder deployment, bool rodeAlong)
    {
        deployment.Delivered.Add(change.Id);
        change.Deliveries.Add(new ChangeDelivery(
            deployment.Fact.Id, deployment.Service, deployment.Fact.Environment!, deployment.Production, deployment.Fact.Time, rodeAlong, deployment.Fact.Source));
        change.DeploymentEvents.Add(deployment.Fact);
    }

    /// <summary>
    /// Incident attribution: the latest production deployment of (S, E) at or before detection whose artifact is the
    /// incident's; else the latest one at or before detection within the attribution window; else none, with the reason.
    /// </summary>
    private List<IncidentRecord> Attribute(Dictionary<(string Service, string Environment), List<DeploymentBuilder>> production)
    {
        var records = new List<IncidentRecord>();
        foreach (var incident in _incidentFacts.GroupBy(f => new FactLinks(f, model).Incident!, StringComparer.Ordinal))
        {
            var detections = incident.Where(f => f.Predicate is "detected" or "reported").ToList();
            if (detections.Count == 0)
            {
                continue;
            }

            var detected = detections[0];
            var resolutions = incident.Where(f => f.Predicate == "resolved").ToList();
            var service = incident.Select(f => new FactLinks(f, model).Service).FirstOrDefault(s => s is not null);
            var environment = incident.Select(f => f.Environment).FirstOrDefault(e => e is not null);
            var artifact = incident.Select(f => f.ArtifactId).FirstOrDefault(a => a is not null);
            string? deploymentId = null, deploymentSource = null, basis = null, reason = null;
            if (service is null)
            {
                reason = "the incident names no service";
            }
            else if (environment is null)
            {
                reason = "the incident names no environment";
            }
            else if (!IsProduction(environment))
            {
                reason = $"environment '{environment}' is not a production environment";
            }
            else if (!production.TryGetValue((service, environment), out var candidates) || candidates[0].Fact.Time > detected.Time)
            {
                reason = $"no production deployment of {service} to {environment} at or before detection";
            }
            else
            {
                var before = candidates.Where(d => d.Fact.Time <= detected.Time).ToList();
                var byArtifact = artifact is null ? null : before.LastOrDefault(d => d.Fact.ArtifactId == artifact);
                var latest = before[^1];
                var chosen = byArtifact ?? (detected.Time - latest.Fact.Time <= AttributionWindow ? latest : null);
                if (chosen is null)
                {
                    reason = $"the latest production deployment of {service} ({latest.Fact.Id}) was {(detected.Time - latest.Fact.Time).TotalHours:0.#} h before detection, beyond the {AttributionWindow.TotalHours:0.#} h attribution window";
                }
                else
                {
                    chosen.Incidents.Add(incident.Key);
                    (deploymentId, deploymentSource, basis) = (chosen.Fact.Id, chosen.Fact.Source, byArtifact is not null ? "artifact" : "window");
                }
            }

            var labels = detections.SelectMany(d => d.Labels ?? []).Distinct(StringComparer.Ordinal).ToArray();
            records.Add(new IncidentRecord(
                incident.Key, service, environment, detected.Time, resolutions.Count > 0 ? resolutions[^1].Time : null, artifact, deploymentId, basis, reason, deploymentSource,
                detected.Source, detected.Sequence, detected.Description, labels.Length > 0 ? labels : null, resolutions.Count > 0 ? resolutions[^1].Actor : null));
        }

        return records;
    }

    /// <summary>
    /// Each production deployment's checks and release-health events. A run that finished in a production environment belongs to
    /// the latest production deployment of its artifact at or before it, else (naming no artifact, or one never deployed there) to
    /// the latest production deployment of its service and environment at or before it, while that deployment still runs. A
    /// release-health event belongs to the deployment it names.
    /// </summary>
    private void AttachChecks(List<DeploymentBuilder> deployments, Dictionary<(string Service, string Environment), List<DeploymentBuilder>> production)
    {
        var byArtifact = production.Values.SelectMany(list => list)
            .Where(d => d.Fact.ArtifactId is not null)
            .GroupBy(d => (Artifact: d.Fact.ArtifactId!, Environment: d.Fact.Environment!))
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Fact, Comparer<Fact>.Create(Fact.Compare)).ToList());
        foreach (var check in _checkFacts.Where(f => IsProduction(f.Environment!)))
        {
            var chosen = (check.ArtifactId is { } artifact && byArtifact.TryGetValue((artifact, check.Environment!), out var ofArtifact)
                    ? LatestAtOrBefore(ofArtifact, check.Time)
                    : null)
                ?? (new FactLinks(check, model).Service is { } service && production.TryGetValue((service, check.Environment!), out var ofService)
                    ? LatestAtOrBefore(ofService, check.Time)
                    : null);
            if (chosen is not null && (chosen.Next is null || check.Time < chosen.Next.Fact.Time || check.ArtifactId == chosen.Fact.ArtifactId))
            {
                chosen.Checks.Add(check);
            }
        }

        var byKey = deployments.ToDictionary(d => (d.Fact.Source, d.Fact.Id));
        foreach (var health in _healthFacts)
        {
            if (health.Target is { } source && byKey.TryGetValue((source, health.SubjectId), out var deployment))
            {
                deployment.HealthEvents.Add(health);
            }
        }
    }

    /// <summary>The production deployments of each service and environment, in time order.</summary>
    private static Dictionary<(string Service, string Environment), List<DeploymentBuilder>> ProductionByTarget(List<DeploymentBuilder> deployments) =>
        deployments.Where(d => d.Production)
            .GroupBy(d => (d.Service, Environment: d.Fact.Environment!))
            .ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>The latest of <paramref name="ordered"/> (in time order) at or before <paramref name="time"/>, by binary search; null when none.</summary>
    private static DeploymentBuilder? LatestAtOrBefore(List<DeploymentBuilder> ordered, DateTimeOffset time)
    {
        int low = 0, high = ordered.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (ordered[middle].Fact.Time <= time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == 0 ? null : ordered[low - 1];
    }
}

namespace Throughline.Simulation;

public sealed partial class HistorySimulator
{
    private readonly WorkQueue _infra;
    private readonly WorkQueue _qa;
    private int _incidentNumber;

    private sealed record Incident(string Id, ServiceState? State, string? ArtifactId);

    /// <summary>A team that works one job per person at a time, in working hours, first come first served.</summary>
    /// <remarks>A job's effort is known only when someone starts it, so work that piled up meanwhile can join it.</remarks>
    private sealed class WorkQueue(HistorySimulator simulation, int capacity)
    {
        private readonly Queue<(Func<TimeSpan> Start, Action Done)> _waiting = new();
        private int _busy;

        public void Submit(Func<TimeSpan> start, Action done)
        {
            _waiting.Enqueue((start, done));
            StartNext();
        }

        private void StartNext()
        {
            while (_busy < capacity && _waiting.TryDequeue(out var job))
            {
                _busy++;
                var begins = WorkingHours.Next(simulation.Clock);
                simulation.At(begins, () =>
                {
                    var effort = job.Start();
                    simulation.At(WorkingHours.Add(simulation.Clock, effort), () =>
                    {
                        _busy--;
                        job.Done();
                        StartNext();
                    });
                });
            }
        }
    }

    /// <summary>Each service starts with a production deployment whose artifact predates the history.</summary>
    private void Bootstrap()
    {
        var minute = 0;
        foreach (var state in _services.Values)
        {
            var artifact = $"pkg:oci/{state.Service.Id}@sha256%3A{_random.Hex(16)}";
            At(Start.AddHours(8).AddMinutes(minute++), () =>
            {
                EmitDeployment(state, "staging", "service.deployed.0.3.0", artifact, null);
                EmitProduction(state, artifact, null);
                RunSmokeTests(state, artifact, causesIncident: false, forcedFailure: false);
            });
        }
    }

    private void MarkReady(ServiceState state, Artifact artifact, bool requestDeploy)
    {
        if (artifact.Order > state.ReadyOrder)
        {
            state.Ready = artifact.Id;
            state.ReadyOrder = artifact.Order;
        }

        if (requestDeploy && state.Service.Cadence == DeployCadence.Continuous)
        {
            RequestProductionDeploy(state);
        }
    }

    /// <summary>Asks infra to deploy the newest ready artifact; infra works its queue by hand.</summary>
    private void RequestProductionDeploy(ServiceState state)
    {
        if (state.DeployRequested || state.Ready is null || state.Ready == state.Production)
        {
            return;
        }

        state.DeployRequested = true;
        _infra.Submit(
            () =>
            {
                state.DeployRequested = false;
                return _random.LogNormal(TimeSpan.FromMinutes(45), 0.6);
            },
            () => DeployToProduction(state, urgentFix: null));
    }

    private void DeployToProduction(ServiceState state, Incident? urgentFix)
    {
        if (state.Ready is null || state.Ready == state.Production)
        {
            if (urgentFix is not null)
            {
                ResolveLater(urgentFix, TimeSpan.FromMinutes(_random.Uniform(10, 60)));
            }

            return;
        }

        EmitProduction(state, state.Ready, null);
        var artifact = state.Production!;
        var forced = ForcesSmokeFailure();
        var causesIncident = false;
        if (urgentFix is not null)
        {
            ResolveLater(urgentFix, TimeSpan.FromMinutes(_random.Uniform(10, 60)));
        }
        else if (_random.Chance(state.Service.FailureRate) || forced)
        {
            causesIncident = true;
            After(_random.LogNormal(TimeSpan.FromMinutes(90), 0.8), () => DetectIncident(state, artifact));
        }

        RunSmokeTests(state, artifact, causesIncident, forced);
    }

    private void EmitProduction(ServiceState state, string artifact, string? chainId)
    {
        var type = state.Service.ReportsUpgrades && state.ProductionDeploys > 0 ? "service.upgraded.0.3.0" : "service.deployed.0.3.0";
        EmitDeployment(state, "production", type, artifact, chainId);
        state.PreviousProduction = state.Production;
        state.Production = artifact;
        state.ProductionDeploys++;
        RecordProduction(state, artifact);
    }

    private void EmitDeployment(ServiceState state, string environment, string type, string artifact, string? chainId) =>
        Emit(SimulatedTool.ArgoCd, "/argocd/" + environment, type, chainId, state.Service.Id, w =>
        {
            CdEventJson.Reference(w, "environment", environment, "/argocd/" + environment);
            w.WriteString("artifactId", artifact);
        });

    private void DetectIncident(ServiceState state, string artifact)
    {
        if (_rolledBackOnRequest.Contains(artifact))
        {
            return;
        }

        var incident = new Incident($"INC-{++_incidentNumber}", state, _random.Chance(0.6) ? artifact : null);
        EmitIncident(incident, "incident.detected.0.3.0", $"Error rate above 5% on {state.Service.Id}");
        if (state.PreviousProduction is not null && state.Production == artifact && _random.Chance(0.35))
        {
            var target = state.PreviousProduction;
            After(_random.LogNormal(TimeSpan.FromMinutes(25), 0.5), () =>
            {
                if (state.Production != artifact)
                {
                    ResolveLater(incident, TimeSpan.FromMinutes(_random.Uniform(5, 30)));
                    return;
                }

                EmitDeployment(state, "production", "service.rolledback.0.3.0", target, null);
                state.Production = target;
                state.PreviousProduction = null;
                state.Ready = target;
                RecordProduction(state, target);
                ResolveLater(incident, TimeSpan.FromMinutes(_random.Uniform(10, 40)));
            });
            return;
        }

        After(_random.LogNormal(TimeSpan.FromMinutes(40), 0.5), () => OpenChange(state, incident));
    }

    private void UnrelatedIncident()
    {
        var state = _random.Chance(0.8) ? _random.Pick(_services.Values.ToList()) : null;
        var incident = new Incident($"INC-{++_incidentNumber}", state, null);
        EmitIncident(incident, "incident.detected.0.3.0", state is null ? "Payment provider latency" : $"Disk filling up on {state.Service.Id} hosts");
        ResolveLater(incident, _random.LogNormal(TimeSpan.FromHours(3), 0.8));
    }

    /// <summary>Resolves the incident after <paramref name="delay"/>, except for the few that stay open.</summary>
    private void ResolveLater(Incident incident, TimeSpan delay)
    {
        if (_random.Chance(0.05))
        {
            return;
        }

        After(delay, () => EmitIncident(incident, "incident.resolved.0.3.0", "Resolved"));
    }

    private void EmitIncident(Incident incident, string type, string description) =>
        Emit(SimulatedTool.PagerDuty, $"/pagerduty/{_organisation.Slug}", type, null, incident.Id, w =>
        {
            w.WriteString("description", description);
            CdEventJson.Reference(w, "environment", "production", "/argocd/production");
            if (incident.State is not null)
            {
                CdEventJson.Reference(w, "service", incident.State.Service.Id);
            }

            if (incident.ArtifactId is not null)
            {
                w.WriteString("artifactId", incident.ArtifactId);
            }
        });
}

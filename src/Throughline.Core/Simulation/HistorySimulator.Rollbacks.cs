using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Throughline.Simulation;

/// <summary>A rollback done at an outside request, and the event the simulated Argo CD sends about it.</summary>
/// <param name="Service">The service rolled back.</param>
/// <param name="From">The artifact rolled back from.</param>
/// <param name="To">The artifact in production now.</param>
/// <param name="Event">The <c>service.rolledback</c> event, from <c>/argocd/production</c>.</param>
public sealed record SimulatedRollback(string Service, string From, string To, SimulatedEvent Event);

public sealed partial class HistorySimulator
{
    private const int ProductionHistoryLength = 16;
    private readonly ConcurrentQueue<(string Service, string Artifact, string Target)> _rollbackRequests = new();
    private readonly HashSet<string> _rolledBackOnRequest = new(StringComparer.Ordinal);

    // The last production artifacts of each service, oldest first; read by callers of RollBack on other threads, so locked.
    private readonly Dictionary<string, List<string>> _productionHistory = new(StringComparer.Ordinal);

    /// <summary>
    /// Rolls <paramref name="service"/> back in production at an outside request (the demo's stand-in for Argo CD, called by
    /// Throughline's rollback action), with the <c>service.rolledback</c> event Argo CD sends when it is done.
    /// </summary>
    /// <param name="service">The service's id.</param>
    /// <param name="artifact">The artifact rolled back from: the failed one.</param>
    /// <param name="to">The artifact to roll back to; null: the one deployed to production before <paramref name="artifact"/>.</param>
    /// <param name="requestId">Identifies the request (its idempotency key): the same id gives the same event id, which the event
    /// store keeps once.</param>
    /// <param name="at">When the rollback is done: the event's time, before the tool's clock skew.</param>
    /// <returns>The rollback and its event, or null when the service is unknown or no earlier production artifact is known to roll back to.</returns>
    /// <remarks>
    /// Unlike the rest of the simulator, safe to call from any thread while it runs. The simulation learns of the rollback
    /// the next time <see cref="RunUntil"/> runs: the service's production artifact is then the target, the rolled-back
    /// artifact is not deployed again (a newer one is), and an incident it was going to cause does not happen.
    /// </remarks>
    public SimulatedRollback? RollBack(string service, string artifact, string? to, string requestId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(requestId);
        if (!_services.ContainsKey(service) || (to ?? ProductionBefore(service, artifact)) is not { } target)
        {
            return null;
        }

        _rollbackRequests.Enqueue((service, artifact, target));
        var id = $"{_organisation.Slug}-{_options.Seed}-rollback-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)))[..16]}";
        var json = new CdEventJson().Render(id, "/argocd/production", "dev.cdevents.service.rolledback.0.3.0", at + _skew[SimulatedTool.ArgoCd], null, service, w =>
        {
            CdEventJson.Reference(w, "environment", "production", "/argocd/production");
            w.WriteString("artifactId", target);
        });
        return new SimulatedRollback(service, artifact, target, new SimulatedEvent(at, json));
    }

    /// <summary>The artifact deployed to production before <paramref name="artifact"/>'s latest deployment, if still remembered.</summary>
    private string? ProductionBefore(string service, string artifact)
    {
        lock (_productionHistory)
        {
            var history = _productionHistory.GetValueOrDefault(service);
            var index = history?.LastIndexOf(artifact) ?? -1;
            return index > 0 ? history![index - 1] : null;
        }
    }

    private void RecordProduction(ServiceState state, string artifact)
    {
        lock (_productionHistory)
        {
            if (!_productionHistory.TryGetValue(state.Service.Id, out var history))
            {
                _productionHistory[state.Service.Id] = history = [];
            }

            history.Add(artifact);
            if (history.Count > ProductionHistoryLength)
            {
                history.RemoveAt(0);
            }
        }
    }

    /// <summary>Applies the rollbacks requested from outside since the simulation last ran.</summary>
    private void ApplyRollbackRequests()
    {
        while (_rollbackRequests.TryDequeue(out var request))
        {
            var state = _services[request.Service];
            _rolledBackOnRequest.Add(request.Artifact);
            // An artifact newer than the failed one that is ready stays ready: the next deployment fixes forward.
            if (state.Ready == request.Artifact || state.Ready == state.Production)
            {
                state.Ready = request.Target;
            }

            state.Production = request.Target;
            state.PreviousProduction = null;
            RecordProduction(state, request.Target);
        }
    }
}

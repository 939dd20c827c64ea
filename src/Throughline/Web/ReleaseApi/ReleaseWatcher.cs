using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Throughline.Health;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Timeline;
using Throughline.Web.Auth;
using Throughline.Web.ModelReload;

namespace Throughline.Web.ReleaseApi;

/// <summary>
/// Acts on the verdicts: measures metric rules while a deployment is verified, tells the holders of its rollback and incident
/// response when it fails and at every step after, rolls back on its own when the policy is automatic, and calls the rollback
/// action once a rollback is asked for. Every step is stored as a release-health event (ids derived from the deployment and the
/// step, so a restart or a second node stores nothing twice) and written to the audit log.
/// </summary>
internal sealed partial class ReleaseWatcher(
    ModelInForce models, IEventStore store, OutgoingCall calls, PrometheusClient prometheus, AuditTrail audit, TimeProvider time,
    IServer server, ILogger<ReleaseWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Slack = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _poked = new(0, 1);
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);

    /// <summary>Asks for a round now (a rollback was just confirmed).</summary>
    public void Poke()
    {
        if (_poked.CurrentCount == 0)
        {
            try
            {
                _poked.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already poked.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
                await _poked.WaitAsync(Tick, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientFailures.Include(exception))
            {
                Log.RoundFailed(logger, exception);
                await Task.Delay(Tick, time, stoppingToken);
            }
        }
    }

    /// <summary>One pass over the production deployments recent enough to need anything.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        var projection = models.Current.Projection;
        if (!projection.Loaded || projection.Model is not { } model)
        {
            return;
        }

        var snapshot = projection.Current;
        var now = time.GetUtcNow();
        var horizon = now - (model.Health.VerificationWindow ?? TimeSpan.Zero) - model.Health.AttributionWindow - Slack;
        var attributed = snapshot.Incidents.Where(i => i.DeploymentKey is not null).ToLookup(i => i.DeploymentKey!.Value);
        foreach (var deployment in snapshot.Deployments.Where(d => d.Production && !d.IsRollback && d.At >= horizon))
        {
            if (ReleaseVerdicts.Of(deployment, [.. attributed[deployment.Key]], model, now) is not { } verdict)
            {
                continue;
            }

            try
            {
                await ActAsync(snapshot, verdict, model, now, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One deployment's trouble (the store busy, a receiver's odd answer, a bug) must not stop the others' verification
                // or the server. What this round did not finish is tried again next round: the calls carry the same idempotency
                // keys and the events the same ids, so a repeat is harmless.
                Forget(deployment);
                Log.ActFailed(logger, deployment.Service, deployment.Id, exception);
            }
        }
    }

    private async Task ActAsync(TimelineSnapshot snapshot, Verdict verdict, OperatingModel model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deployment = verdict.Deployment;
        // Measured while verifying, and after it too when due times were missed (the server was down): a verdict concluded for
        // lack of measurements is completed once they are taken.
        if (verdict.WindowEnd is not null && model.Health.Signals.Metrics is { } metrics)
        {
            await MeasureAsync(snapshot, verdict, metrics, now, cancellationToken);
        }

        if (verdict.FailedAt is null || verdict.Steps.All(s => s.State != VerdictStates.Failed))
        {
            return;
        }

        // A failure closed before anyone was told (history loaded on a first start, a server that was down) is not news: nobody
        // is told about it, nor about its rollback.
        if (!verdict.Frozen && verdict.Actions.All(a => a.Kind != HealthEvents.Notified))
        {
            return;
        }

        var rollback = model.Health.Rollback;
        await NotifyOnceAsync(verdict, model, NotificationTypes.ReleaseFailed, cancellationToken);
        var requested = verdict.Actions.FirstOrDefault(a => a.Kind == HealthEvents.RollbackRequested);
        if (verdict.State == VerdictStates.Failed && requested is null && rollback is { Automatic: true, Action: not null } && Once(deployment, "policy"))
        {
            var draft = HealthEventDrafts.RollbackRequested(deployment, "policy", null, now, "the automatic rollback policy asked for a rollback");
            await store.AppendAsync([draft], now, cancellationToken);
            await audit.RecordAsync("policy", "rollback.requested", $"{deployment.Service} {deployment.Id}", "throughline", Access.AuditActions.Done, cancellationToken);
            return;
        }

        if (requested is not null && verdict.State == VerdictStates.RollingBack && rollback?.Action is { } action
            && verdict.Actions.All(a => a.Kind != HealthEvents.RollbackCalled))
        {
            await CallAsync(snapshot, verdict, action, requested, model, cancellationToken);
        }

        if (verdict.State == VerdictStates.RolledBack)
        {
            await NotifyOnceAsync(verdict, model, NotificationTypes.RollbackDone, cancellationToken);
        }
        else if (verdict.State == VerdictStates.FixedForward)
        {
            await NotifyOnceAsync(verdict, model, NotificationTypes.ReleaseFixedForward, cancellationToken);
        }
    }

    private async Task MeasureAsync(TimelineSnapshot snapshot, Verdict verdict, MetricSignals metrics, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deployment = verdict.Deployment;
        // Looked for only when a rule with a baseline has a due time to measure: most rounds measure nothing.
        var previous = new Lazy<Deployment?>(() => snapshot.Deployments.LastOrDefault(d =>
            d.Service == deployment.Service && d.Environment == deployment.Environment && !d.IsRollback && d.At < deployment.At));
        var end = verdict.WindowEnd!.Value;
        foreach (var rule in metrics.Rules)
        {
            var outcome = verdict.Rules.FirstOrDefault(r => r.Rule == rule.Id);
            if (outcome is null || outcome.State is RuleState.Passed or RuleState.Failed)
            {
                continue;
            }

            foreach (var due in MetricRuleJudge.Unmeasured(rule, deployment.At, end, now, outcome.Measurements))
            {
                if (!Once(deployment, $"measure:{rule.Id}:{due.UtcTicks}"))
                {
                    continue;
                }

                var measurement = await prometheus.MeasureAsync(metrics.Prometheus, rule, deployment.Service, deployment.Environment, due, cancellationToken);
                // The baseline: the same query at the same point of the previous deployment's window.
                var baseline = rule.Baseline is not null && previous.Value is { } before
                    ? (await prometheus.MeasureAsync(metrics.Prometheus, rule, deployment.Service, deployment.Environment, due - (deployment.At - before.At), cancellationToken)).Value
                    : null;
                var draft = HealthEventDrafts.Measured(deployment, rule.Id, due, measurement.Value, measurement.NoDataReason,
                    measurement.Value is { } value ? MetricRuleJudge.Fails(rule, value, baseline) : null, baseline);
                await store.AppendAsync([draft], now, cancellationToken);
            }
        }
    }

    private async Task CallAsync(TimelineSnapshot snapshot, Verdict verdict, RollbackAction action, ReleaseAction requested, OperatingModel model, CancellationToken cancellationToken)
    {
        var deployment = verdict.Deployment;
        if (!Once(deployment, "call"))
        {
            return;
        }

        var key = $"rollback-{HealthEventDrafts.Key(deployment)}";
        var to = ReleaseTarget(snapshot, deployment);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            action = "rollback",
            service = deployment.Service,
            environment = deployment.Environment,
            deployment = new { id = deployment.Id, source = deployment.Source },
            artifact = deployment.ArtifactId,
            to,
            requestedBy = requested.Actor,
            reason = verdict.Steps.First(s => s.State == VerdictStates.Failed).Reason,
            idempotencyKey = key,
        });
        var url = new Uri(action.Webhook.Replace("{service}", Uri.EscapeDataString(deployment.Service), StringComparison.Ordinal));
        var result = await calls.PostAsync(url, body, new OutgoingCallOptions(action.Secret?.Value, action.Timeout, action.Retries, action.AllowHosts, key), cancellationToken);
        var detail = result.Succeeded
            ? $"the rollback action answered {result.Status} after {result.Attempts} attempt{(result.Attempts == 1 ? "" : "s")}; waiting for the tool's event"
            : result.Refusal ?? $"the rollback action failed after {result.Attempts} attempts: {string.Join("; ", result.Errors.TakeLast(2))}";
        var stamp = time.GetUtcNow();
        await store.AppendAsync([HealthEventDrafts.RollbackCalled(deployment, key, result.Succeeded, stamp, detail)], stamp, cancellationToken);
        await audit.RecordAsync("throughline", "rollback.called", $"{deployment.Service} {deployment.Id}: {detail}", "throughline",
            result.Succeeded ? Access.AuditActions.Done : "failed", cancellationToken);
        Log.Called(logger, deployment.Service, deployment.Id, detail);
        await NotifyOnceAsync(verdict, model, NotificationTypes.RollbackCalled, cancellationToken, detail);
    }

    /// <summary>The artifact to go back to: the one a person named, else the one that ran before the failed deployment.</summary>
    private static string? ReleaseTarget(TimelineSnapshot snapshot, Deployment deployment) =>
        deployment.HealthEvents?.LastOrDefault(f => f.Kind == HealthEvents.RollbackRequested)?.Name is { } named // the artifact a person named
            ? named
            : snapshot.Deployments
                .Where(d => d.Service == deployment.Service && d.Environment == deployment.Environment && d.At < deployment.At && d.ArtifactId is not null
                    && d.ArtifactId != deployment.ArtifactId)
                .LastOrDefault()?.ArtifactId;

    private async Task NotifyOnceAsync(Verdict verdict, OperatingModel model, string type, CancellationToken cancellationToken, string? detail = null)
    {
        var deployment = verdict.Deployment;
        if (verdict.Actions.Any(a => a.Kind == HealthEvents.Notified && a.Detail.StartsWith(type + ":", StringComparison.Ordinal)) || !Once(deployment, "notify:" + type))
        {
            return;
        }

        var holders = RollbackHolders.Notified(model, deployment.Service);
        var people = holders.SelectMany(h => h.People.Select(p => new NotifiedPerson(p.Id, p.Id, [.. p.Contacts, .. h.Contact is null ? Array.Empty<string>() : [h.Contact]])))
            .DistinctBy(p => p.Id)
            .ToList();
        var told = holders.Count == 0 ? "nobody (the model names no holder of rollback or incident-response)"
            : string.Join("; ", holders.Select(h => $"{h.TeamName}{(h.People.Count == 0 ? "" : ": " + string.Join(", ", h.People.Select(p => p.Id)))}"));
        var notify = model.Health.Rollback?.Notify;
        var now = time.GetUtcNow();
        var succeeded = true;
        var how = "recorded (no health.rollback.notify.webhook)";
        if (notify?.Webhook is { } webhook)
        {
            var notification = new ReleaseNotification(
                type, deployment.Service, deployment.Environment, deployment.Id, deployment.Source, verdict.State, detail ?? verdict.Reason,
                [.. verdict.Signals.Where(s => s.Failing).Select(s => s.Summary)], people, RollbackHolders.Pending(verdict, model) ?? "nothing", PageUrl(deployment), now);
            var action = model.Health.Rollback?.Action;
            var result = await calls.PostAsync(new Uri(webhook), Notifications.Body(notification, notify.Format),
                new OutgoingCallOptions(action?.Secret?.Value, action?.Timeout ?? RollbackAction.DefaultTimeout, action?.Retries ?? RollbackAction.DefaultRetries,
                    action?.AllowHosts ?? [], $"notify-{type}-{HealthEventDrafts.Key(deployment)}"), cancellationToken);
            succeeded = result.Succeeded;
            how = result.Succeeded ? $"webhook answered {result.Status}" : result.Refusal ?? $"webhook failed: {string.Join("; ", result.Errors.TakeLast(1))}";
        }

        var text = $"{type}: told {told} ({how})";
        await store.AppendAsync([HealthEventDrafts.Notified(deployment, type, succeeded, now, text)], now, cancellationToken);
        await audit.RecordAsync("throughline", "release.notified", $"{deployment.Service} {deployment.Id}: {text}", "throughline",
            succeeded ? Access.AuditActions.Done : "failed", cancellationToken);
        Log.Notified(logger, deployment.Service, deployment.Id, text);
    }

    private Uri PageUrl(Deployment deployment)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return new Uri(new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)), Releases.PageOf(deployment));
    }

    /// <summary>True the first time this process does <paramref name="step"/> for <paramref name="deployment"/>: its event may not be in
    /// the timeline yet when the next round looks.</summary>
    private bool Once(Deployment deployment, string step)
    {
        lock (_done)
        {
            return _done.Add(HealthEventDrafts.Key(deployment) + "\n" + step);
        }
    }

    private void Forget(Deployment deployment)
    {
        var prefix = HealthEventDrafts.Key(deployment) + "\n";
        lock (_done)
        {
            _done.RemoveWhere(step => step.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    public override void Dispose()
    {
        _poked.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Release watcher round failed; retrying")]
        public static partial void RoundFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Release watcher could not act on {Service} {Deployment}; the next round tries again")]
        public static partial void ActFailed(ILogger logger, string service, string deployment, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rollback of {Service} {Deployment}: {Detail}")]
        public static partial void Called(ILogger logger, string service, string deployment, string detail);

        [LoggerMessage(Level = LogLevel.Information, Message = "Release {Service} {Deployment}: {Detail}")]
        public static partial void Notified(ILogger logger, string service, string deployment, string detail);
    }
}

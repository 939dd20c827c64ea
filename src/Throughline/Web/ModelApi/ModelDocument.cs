using System.Text.Json;
using Throughline.Model;

namespace Throughline.Web.ModelApi;

/// <summary>The operating model in force, shaped like the file, as <c>GET /api/model</c> answers it.</summary>
/// <remarks>
/// No secret leaves the server: a secret is shown as the variable it is read from and whether that is set, and a
/// URL's user information and query values are redacted. Durations are in hours, like every duration of the API.
/// </remarks>
public sealed record ModelDocument(
    int Version,
    string Organization,
    IReadOnlyList<ModelDocument.TeamItem> Teams,
    IReadOnlyList<ModelDocument.PersonItem> People,
    IReadOnlyList<ModelDocument.EnvironmentItem> Environments,
    IReadOnlyList<ModelDocument.ToolItem> Tools,
    IReadOnlyList<ModelDocument.ServiceItem> Services,
    IReadOnlyDictionary<string, string> Responsibilities,
    IReadOnlyList<ModelDocument.StageItem> Flow,
    ModelDocument.HealthItem Health,
    IReadOnlyList<ModelDocument.ThresholdItem> Thresholds,
    IReadOnlyList<ModelDocument.WarningItem> Warnings)
{
    public sealed record TeamItem(string Id, string? Name, string? Type, string? Contact);

    /// <summary>A person; identities are written <c>tool:login</c>, as in the file.</summary>
    public sealed record PersonItem(string Id, string Team, IReadOnlyList<string> Identities);

    public sealed record EnvironmentItem(string Id, bool Production);

    /// <summary>A tool; its kind as written in the file (github, gitlab, argocd, jenkins, jira, pagerduty, opsgenie, alertmanager, cdevents).</summary>
    public sealed record ToolItem(string Id, string Kind, SecretItem? Secret, SecretItem? Token, IReadOnlyDictionary<string, string> Labels);

    /// <summary>A secret without its value.</summary>
    /// <param name="Variable">The environment variable it is read from; null when the file holds the secret itself (never shown).</param>
    /// <param name="Set">True when the server holds a value for it.</param>
    public sealed record SecretItem(string? Variable, bool Set);

    public sealed record ServiceItem(
        string Id, string? Name, string Owner, IReadOnlyList<string> Repositories, IReadOnlyList<string> Paths, IReadOnlyDictionary<string, string> Responsibilities);

    /// <summary>
    /// A stage; its owner as written in the file (a team id, <c>service-owner</c> or <c>responsibilities.NAME</c>), and its
    /// matchers too (<c>service.deployed environment=production</c>); <c>starts</c> is null when the stage has none.
    /// </summary>
    public sealed record StageItem(string Id, string? Name, string Owner, string? Tool, bool Automated, string? Starts, string Ends, IReadOnlyList<string> Checks);

    public sealed record HealthItem(double AttributionWindowHours, double? VerificationWindowHours, RollbackItem? Rollback, SignalsItem Signals);

    /// <summary>The signals a verdict reads; a metric rule's condition as written (<c>&gt; 0.02</c>) and its durations in seconds.</summary>
    public sealed record SignalsItem(bool Incidents, bool Alerts, IReadOnlyList<string> Checks, string? Prometheus, IReadOnlyList<RuleItem> Rules);

    public sealed record RuleItem(string Id, string Query, double IntervalSeconds, string FailIf, int FailureLimit, int ConsecutiveSuccesses, int MinSamples, string NoData, double? Baseline);

    public sealed record RollbackItem(bool Automatic, string? Owner, RollbackActionItem? Action, NotifyItem? Notify);

    /// <summary>The rollback webhook, its user information and query values replaced by <c>redacted</c>.</summary>
    public sealed record RollbackActionItem(string Webhook, SecretItem? Secret, double TimeoutSeconds, int Retries, IReadOnlyList<string> AllowHosts);

    /// <summary>Who is told and where (the webhook redacted as the action's is).</summary>
    public sealed record NotifyItem(IReadOnlyList<string> Roles, string? Webhook, string Format);

    /// <summary>A warning sign's threshold (<c>diagnostics.thresholds</c>): the file's, else the default, in the sign's unit.</summary>
    /// <param name="Sign">The sign's id.</param>
    /// <param name="Value">The threshold: a share from 0 to 1, a count, people, or days.</param>
    /// <param name="Unit"><c>share</c>, <c>count</c>, <c>people</c> or <c>days</c>.</param>
    /// <param name="Default">True when the file does not set it.</param>
    public sealed record ThresholdItem(string Sign, double Value, string Unit, bool Default);

    /// <summary>What validating the model warned about when the server loaded it.</summary>
    public sealed record WarningItem(string File, int Line, int Column, string Message);

    /// <summary>The document for a model and the warnings it was loaded with.</summary>
    public static ModelDocument From(OperatingModel model, IReadOnlyList<ModelProblem> warnings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(warnings);
        return new ModelDocument(
            model.Version,
            model.Organization,
            [.. model.Teams.Select(t => new TeamItem(t.Id, t.Name, t.Type is { } type ? JsonNamingPolicy.KebabCaseLower.ConvertName(type.ToString()) : null, t.Contact))],
            [.. model.People.Select(p => new PersonItem(p.Id, p.Team, [.. p.Identities.Select(i => $"{i.Tool}:{i.Login}")]))],
            [.. model.Environments.Select(e => new EnvironmentItem(e.Id, e.IsProduction))],
            [.. model.Tools.Select(t => new ToolItem(t.Id, t.Kind.Name, Secret(t.Secret), Secret(t.Token), t.Labels))],
            [.. model.Services.Select(s => new ServiceItem(s.Id, s.Name, s.Owner, s.Repositories, s.Paths, s.Responsibilities))],
            model.Responsibilities,
            [.. model.Flow.Select(s => new StageItem(s.Id, s.Name, s.Owner.ToString(), s.Tool, s.Automated, s.Starts?.ToString(), s.Ends.ToString(), s.Checks))],
            HealthOf(model.Health),
            [.. DiagnosticsSettings.Definitions.Select(d => new ThresholdItem(
                d.Id, model.Diagnostics.Threshold(d.Id), JsonNamingPolicy.KebabCaseLower.ConvertName(d.Kind.ToString()), !model.Diagnostics.Thresholds.ContainsKey(d.Id)))],
            [.. warnings.Select(w => new WarningItem(w.File, w.Line, w.Column, w.Message))]);
    }

    private static HealthItem HealthOf(HealthSettings health) => new(
        health.AttributionWindow.TotalHours,
        health.VerificationWindow?.TotalHours,
        health.Rollback is not { } rollback
            ? null
            : new RollbackItem(
                rollback.Automatic,
                rollback.Owner?.ToString(),
                rollback.Action is { } action
                    ? new RollbackActionItem(UrlRedaction.Redact(action.Webhook), Secret(action.Secret), action.Timeout.TotalSeconds, action.Retries, action.AllowHosts)
                    : null,
                rollback.Notify is { } notify
                    ? new NotifyItem([.. notify.Roles.Select(r => r.ToString())], notify.Webhook is null ? null : UrlRedaction.Redact(notify.Webhook), notify.Format == NotifyFormat.Slack ? "slack" : "json")
                    : null),
        new SignalsItem(
            health.Signals.Incidents, health.Signals.Alerts, health.Signals.Checks, health.Signals.Metrics is { } metrics ? UrlRedaction.Redact(metrics.Prometheus) : null,
            [.. (health.Signals.Metrics?.Rules ?? []).Select(r => new RuleItem(
                r.Id, r.Query, r.Interval.TotalSeconds, r.FailIf.ToString(), r.FailureLimit, r.ConsecutiveSuccesses, r.MinSamples, r.NoData.ToString().ToLowerInvariant(), r.Baseline))]));

    private static SecretItem? Secret(SecretValue? secret) =>
        secret is null ? null : new SecretItem(secret.VariableName, !string.IsNullOrEmpty(secret.Value));
}

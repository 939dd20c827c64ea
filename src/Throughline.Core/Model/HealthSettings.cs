using System.Globalization;

namespace Throughline.Model;

/// <summary>How production deployments are watched and tied to incidents, and how they are rolled back.</summary>
/// <param name="AttributionWindow">
/// How long after a deployment an incident may be attributed to it (for change failure rate);
/// <see cref="DefaultAttributionWindow"/> when not given.
/// </param>
/// <param name="VerificationWindow">How long a new production deployment is watched; null when not given (deployments are not watched).</param>
/// <param name="Rollback">How to roll back; null when not given (Throughline never rolls back).</param>
/// <param name="Signals">What marks a deployment failed while it is verified; <see cref="HealthSignals.Default"/> when not given.</param>
/// <remarks>Durations are written as a whole number and a unit: <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>2d</c>.</remarks>
public sealed record HealthSettings(TimeSpan AttributionWindow, TimeSpan? VerificationWindow, RollbackSettings? Rollback, HealthSignals Signals)
{
    /// <summary>The attribution window when the file sets none: 24 hours.</summary>
    public static readonly TimeSpan DefaultAttributionWindow = TimeSpan.FromHours(24);

    /// <summary>The settings used when the file has no <c>health</c> section.</summary>
    public static HealthSettings Default { get; } = new(DefaultAttributionWindow, null, null, HealthSignals.Default);
}

/// <summary>The signals that mark a production deployment failed while it is verified.</summary>
/// <param name="Incidents">Incidents attributed to the deployment (paging tools).</param>
/// <param name="Alerts">Alertmanager alerts firing for the service and environment.</param>
/// <param name="Checks">The names of test suites or pipeline runs after the deployment that must not fail; empty: any test suite run
/// for the deployment's service (or artifact) and environment.</param>
/// <param name="Metrics">Rules evaluated against Prometheus during the window; null when none.</param>
public sealed record HealthSignals(bool Incidents, bool Alerts, IReadOnlyList<string> Checks, MetricSignals? Metrics)
{
    /// <summary>Incidents and alerts count; any failed test suite run counts; no metric rules.</summary>
    public static HealthSignals Default { get; } = new(true, true, [], null);
}

/// <summary>Metric rules and the Prometheus they are asked of.</summary>
/// <param name="Prometheus">The Prometheus HTTP API's base URL (<c>http://prometheus:9090</c>).</param>
/// <param name="Rules">The rules, in the file's order.</param>
public sealed record MetricSignals(string Prometheus, IReadOnlyList<MetricRule> Rules);

/// <summary>
/// One metric rule: a PromQL query measured every <paramref name="Interval"/> during the verification window and judged by
/// <paramref name="FailIf"/>, in the shape Argo Rollouts' analysis, Flagger and Keptn share.
/// </summary>
/// <param name="Id">The rule's id (kebab-case).</param>
/// <param name="Query">The PromQL expression; <c>{service}</c> and <c>{environment}</c> are replaced by the deployment's.</param>
/// <param name="Interval">How often it is measured (default one minute).</param>
/// <param name="FailIf">When a measurement fails.</param>
/// <param name="FailureLimit">Failed measurements tolerated; one more and the rule fails (default 0).</param>
/// <param name="ConsecutiveSuccesses">Passing measurements in a row that pass the rule before the window ends; 0 (the default): the
/// rule passes at the window's end when it has not failed.</param>
/// <param name="MinSamples">Measurements with a value needed by the window's end; fewer is "no data" (default 1).</param>
/// <param name="NoData">What no data means (default <see cref="NoDataPolicy.Inconclusive"/>).</param>
/// <param name="Baseline">When set, the same query is also asked for the previous deployment of the service and environment, at the
/// same point of its own window, and a measurement also fails when its value is more than this many times that baseline value;
/// null (the default): no baseline.</param>
public sealed record MetricRule(
    string Id, string Query, TimeSpan Interval, MetricCondition FailIf, int FailureLimit, int ConsecutiveSuccesses, int MinSamples, NoDataPolicy NoData,
    double? Baseline = null)
{
    /// <summary>The interval when the file gives none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);
}

/// <summary>What a rule with too few measurements concludes.</summary>
public enum NoDataPolicy
{
    /// <summary><c>inconclusive</c>: neither healthy nor failed; a person looks (the default).</summary>
    Inconclusive,

    /// <summary><c>pass</c>: no data is taken as healthy.</summary>
    Pass,

    /// <summary><c>fail</c>: no data fails the deployment.</summary>
    Fail,
}

/// <summary>A comparison with a number, such as <c>&gt; 0.02</c>.</summary>
/// <param name="Operator">One of <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>==</c>, <c>!=</c>.</param>
/// <param name="Threshold">The number compared with.</param>
public sealed record MetricCondition(string Operator, double Threshold)
{
    /// <summary>Whether <paramref name="value"/> satisfies the comparison.</summary>
    public bool Holds(double value) => Operator switch
    {
        "<" => value < Threshold,
        "<=" => value <= Threshold,
        ">" => value > Threshold,
        ">=" => value >= Threshold,
        "==" => value == Threshold,
        "!=" => value != Threshold,
        _ => false,
    };

    /// <summary>The condition as written: <c>&gt; 0.02</c>.</summary>
    public override string ToString() => $"{Operator} {Threshold.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads <c>&gt; 0.02</c>; null when <paramref name="text"/> is not a comparison and a number.</summary>
    public static MetricCondition? Parse(string text)
    {
        var trimmed = text.Trim();
        foreach (var op in new[] { "<=", ">=", "==", "!=", "<", ">" })
        {
            if (trimmed.StartsWith(op, StringComparison.Ordinal)
                && double.TryParse(trimmed[op.Length..].Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var threshold))
            {
                return new MetricCondition(op, threshold);
            }
        }

        return null;
    }
}

/// <summary>How a failed production deployment is rolled back.</summary>
/// <param name="Automatic">True: act on a failed verification without asking; false (the default): ask the owner first.</param>
/// <param name="Owner">Who decides on and answers for a rollback; null when not given (the service's <c>rollback</c> responsibility).</param>
/// <param name="Action">What Throughline calls to roll back; null when not given (the owner rolls back by hand).</param>
/// <param name="Notify">Who is told, and where; null when not given (nobody is told outside Throughline).</param>
public sealed record RollbackSettings(bool Automatic, StageOwner? Owner, RollbackAction? Action, RollbackNotify? Notify = null);

/// <summary>Who is told when a deployment fails and at every step after.</summary>
/// <param name="Roles">The owners whose people are named in the message (teams, <c>service-owner</c>, responsibilities).</param>
/// <param name="Webhook">Where the message is posted; null: nowhere (the message is still recorded).</param>
/// <param name="Format">The message's shape.</param>
public sealed record RollbackNotify(IReadOnlyList<StageOwner> Roles, string? Webhook, NotifyFormat Format);

/// <summary>The shape of a notification.</summary>
public enum NotifyFormat
{
    /// <summary><c>json</c>: Throughline's documented JSON object.</summary>
    Json,

    /// <summary><c>slack</c>: a Slack incoming-webhook message (text and blocks).</summary>
    Slack,
}

/// <summary>A webhook that rolls a service back.</summary>
/// <param name="Webhook">An absolute http(s) URL; <c>{service}</c> in it is replaced by the service id.</param>
/// <param name="Secret">The key the call is signed with; null when not given.</param>
/// <param name="Timeout">How long one attempt may take (default 10 seconds).</param>
/// <param name="Retries">Attempts after the first when one fails (default 3).</param>
/// <param name="AllowHosts">Hosts with internal addresses the action and notifications may call; none other.</param>
public sealed record RollbackAction(string Webhook, SecretValue? Secret, TimeSpan Timeout, int Retries, IReadOnlyList<string> AllowHosts)
{
    /// <summary>The timeout when the file gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The retries when the file gives none.</summary>
    public const int DefaultRetries = 3;
}

using System.Globalization;
using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>The release-health fields: <c>health.signals</c> (incidents, alerts, checks, metric rules), <c>health.rollback.notify</c>
/// and the rollback action's <c>timeout</c>, <c>retries</c> and <c>allow-hosts</c>.</summary>
internal sealed partial class ModelReader
{
    private static readonly string[] SignalKeys = ["incidents", "alerts", "checks", "metrics"];
    private static readonly string[] MetricsKeys = ["prometheus", "rules"];
    private static readonly string[] RuleKeys = ["id", "query", "interval", "fail-if", "failure-limit", "consecutive-successes", "min-samples", "no-data", "baseline"];
    private static readonly string[] NoDataVerdicts = ["pass", "fail", "inconclusive"];
    private static readonly string[] NotifyKeys = ["roles", "webhook", "format"];
    private static readonly string[] NotifyFormats = ["slack", "json"];

    private readonly List<StageOwner> _healthOwners = [];

    private YamlMapping? Section(YamlMapping parent, string key, string context) =>
        parent.Get(key) is { } node and not YamlScalar { IsNull: true } ? Mapping(node, $"'{key}' in {context}") : null;

    private HealthSignals ReadSignals(YamlMapping health)
    {
        if (Section(health, "signals", "'health'") is not { } signals)
        {
            return HealthSignals.Default;
        }

        const string context = "'health.signals'";
        CheckKeys(signals, context, SignalKeys);
        var incidents = signals.Get("incidents") is null or YamlScalar { IsNull: true } || Bool(signals, "incidents", context);
        var alerts = signals.Get("alerts") is null or YamlScalar { IsNull: true } || Bool(signals, "alerts", context);
        var checks = TextList(signals, "checks", context);
        if (Section(signals, "metrics", context) is not { } metrics)
        {
            return new HealthSignals(incidents, alerts, checks, null);
        }

        const string metricsContext = "'health.signals.metrics'";
        CheckKeys(metrics, metricsContext, MetricsKeys);
        var prometheus = HttpUrl(metrics, "prometheus", metricsContext, "http://prometheus:9090");
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        List<MetricRule> rules = [];
        foreach (var item in List(metrics.Get("rules"), "rules", metricsContext))
        {
            if (Mapping(item, $"an item of 'rules' in {metricsContext}") is { } rule && ReadRule(rule, seen) is { } read)
            {
                rules.Add(read);
            }
        }

        return new HealthSignals(incidents, alerts, checks, prometheus is null ? null : new MetricSignals(prometheus, rules));
    }

    private MetricRule? ReadRule(YamlMapping rule, Dictionary<string, YamlScalar> seen)
    {
        var id = Id(rule, "rule", seen);
        var context = $"rule '{id}' of 'health.signals.metrics'";
        CheckKeys(rule, context, RuleKeys);
        var query = Text(rule, "query", context, "<PromQL expression>");
        var interval = Duration(rule, "interval", context) ?? MetricRule.DefaultInterval;
        MetricCondition? condition = null;
        if (Text(rule, "fail-if", context, "'> 0.02'") is { } failIf && (condition = MetricCondition.Parse(failIf.Value)) is null)
        {
            Error(failIf, $"invalid condition '{failIf.Value}' for 'fail-if' in {context} (expected a comparison and a number, such as '> 0.02' or '<= 300')");
        }

        var failureLimit = WholeNumber(rule, "failure-limit", context, minimum: 0) ?? 0;
        var successes = WholeNumber(rule, "consecutive-successes", context, minimum: 0) ?? 0;
        var minSamples = WholeNumber(rule, "min-samples", context, minimum: 1) ?? 1;
        double? baseline = null;
        if (Text(rule, "baseline", context) is { } ratio)
        {
            if (double.TryParse(ratio.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var times) && times > 0)
            {
                baseline = times;
            }
            else
            {
                Error(ratio, $"'baseline' in {context} is '{ratio.Value}' (expected a positive number: how many times the previous deployment's value a measurement may reach, such as 1.5)");
            }
        }

        var noData = OneOf(rule, "no-data", context, NoDataVerdicts) switch
        {
            "pass" => NoDataPolicy.Pass,
            "fail" => NoDataPolicy.Fail,
            _ => NoDataPolicy.Inconclusive,
        };
        return id is null || query is null || condition is null
            ? null
            : new MetricRule(id, query.Value, interval, condition, failureLimit, successes, minSamples, noData, baseline);
    }

    private RollbackNotify? ReadNotify(YamlMapping rollback)
    {
        if (Section(rollback, "notify", "'health.rollback'") is not { } notify)
        {
            return null;
        }

        const string context = "'health.rollback.notify'";
        CheckKeys(notify, context, NotifyKeys);
        List<StageOwner> roles = [];
        foreach (var role in List(notify.Get("roles"), "roles", context))
        {
            if (Text(role, "roles item", context, required: true) is { } text)
            {
                var owner = Owner(text, context);
                roles.Add(owner);
                _healthOwners.Add(owner);
            }
        }

        var webhook = HttpUrl(notify, "webhook", context);
        var format = OneOf(notify, "format", context, NotifyFormats) == "slack" ? NotifyFormat.Slack : NotifyFormat.Json;
        return new RollbackNotify(roles, webhook, format);
    }

    private string? HttpUrl(YamlMapping mapping, string key, string context, string? requiredExample = null)
    {
        if (Text(mapping, key, context, requiredExample) is not { } url)
        {
            return null;
        }

        if (!IsHttpUrl(url.Value))
        {
            Error(url, $"'{key}' in {context} is '{url.Value}' (expected an absolute http or https URL)");
            return null;
        }

        return url.Value;
    }

    private int? WholeNumber(YamlMapping mapping, string key, string context, int minimum)
    {
        if (Text(mapping, key, context) is not { } node)
        {
            return null;
        }

        if (int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum)
        {
            return number;
        }

        Error(node, $"'{key}' in {context} is '{node.Value}' (expected a whole number, {minimum} or more)");
        return null;
    }

    private string? OneOf(YamlMapping mapping, string key, string context, IReadOnlyCollection<string> allowed)
    {
        if (Text(mapping, key, context) is not { } node)
        {
            return null;
        }

        if (!allowed.Contains(node.Value))
        {
            Error(node, $"unknown value '{node.Value}' for '{key}' in {context} {Suggestions.Hint(node.Value, allowed)}");
            return null;
        }

        return node.Value;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>
/// The release-health fields nothing acts on yet (<c>health.signals</c>, <c>health.rollback.notify</c> and the
/// rollback action's <c>timeout</c>, <c>retries</c> and <c>allow-hosts</c>).
/// </summary>
/// <remarks>
/// They are checked as strictly as the rest (unknown keys, types, references), so a file written today keeps
/// working when they gain meaning, and each is reported as a warning where it is written, so nobody believes
/// Throughline already verifies with Prometheus, notifies or limits its calls.
/// </remarks>
internal sealed partial class ModelReader
{
    private static readonly string[] SignalKeys = ["incidents", "alerts", "checks", "metrics"];
    private static readonly string[] MetricsKeys = ["prometheus", "rules"];
    private static readonly string[] RuleKeys = ["id", "query", "interval", "fail-if", "failure-limit", "min-samples", "no-data"];
    private static readonly string[] NoDataVerdicts = ["pass", "fail", "inconclusive"];
    private static readonly string[] NotifyKeys = ["roles", "webhook", "format"];
    private static readonly string[] NotifyFormats = ["slack", "json"];
    private static readonly string[] ActionLimitKeys = ["timeout", "retries", "allow-hosts"];

    private void NotUsedYet(YamlMapping mapping, string key, string path)
    {
        if (mapping.GetKey(key) is { } name)
        {
            NotUsedYet(name, $"'{path}'");
        }
    }

    private YamlMapping? Section(YamlMapping parent, string key, string context) =>
        parent.Get(key) is { } node and not YamlScalar { IsNull: true } ? Mapping(node, $"'{key}' in {context}") : null;

    private void ReadSignals(YamlMapping health)
    {
        NotUsedYet(health, "signals", "health.signals");
        if (Section(health, "signals", "'health'") is not { } signals)
        {
            return;
        }

        const string context = "'health.signals'";
        CheckKeys(signals, context, SignalKeys);
        Bool(signals, "incidents", context);
        Bool(signals, "alerts", context);
        TextList(signals, "checks", context);
        if (Section(signals, "metrics", context) is not { } metrics)
        {
            return;
        }

        const string metricsContext = "'health.signals.metrics'";
        CheckKeys(metrics, metricsContext, MetricsKeys);
        HttpUrl(metrics, "prometheus", metricsContext, "http://prometheus:9090");
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        foreach (var item in List(metrics.Get("rules"), "rules", metricsContext))
        {
            if (Mapping(item, $"an item of 'rules' in {metricsContext}") is { } rule)
            {
                ReadRule(rule, seen);
            }
        }
    }

    private void ReadRule(YamlMapping rule, Dictionary<string, YamlScalar> seen)
    {
        var context = $"rule '{Id(rule, "rule", seen)}' of 'health.signals.metrics'";
        CheckKeys(rule, context, RuleKeys);
        Text(rule, "query", context, "<PromQL expression>");
        Duration(rule, "interval", context);
        if (Text(rule, "fail-if", context) is { } condition && !Condition().IsMatch(condition.Value))
        {
            Error(condition, $"invalid condition '{condition.Value}' for 'fail-if' in {context} (expected a comparison and a number, such as '> 0.02' or '<= 300')");
        }

        WholeNumber(rule, "failure-limit", context, minimum: 0);
        WholeNumber(rule, "min-samples", context, minimum: 1);
        OneOf(rule, "no-data", context, NoDataVerdicts);
    }

    private void ReadNotify(YamlMapping rollback)
    {
        NotUsedYet(rollback, "notify", "health.rollback.notify");
        if (Section(rollback, "notify", "'health.rollback'") is not { } notify)
        {
            return;
        }

        const string context = "'health.rollback.notify'";
        CheckKeys(notify, context, NotifyKeys);
        foreach (var role in List(notify.Get("roles"), "roles", context))
        {
            if (Text(role, "roles item", context, required: true) is { } text)
            {
                Owner(text, context);
            }
        }

        HttpUrl(notify, "webhook", context);
        OneOf(notify, "format", context, NotifyFormats);
    }

    private void ReadActionLimits(YamlMapping action, string context)
    {
        foreach (var key in ActionLimitKeys)
        {
            NotUsedYet(action, key, $"health.rollback.action.{key}");
        }

        Duration(action, "timeout", context);
        WholeNumber(action, "retries", context, minimum: 0);
        TextList(action, "allow-hosts", context);
    }

    private void HttpUrl(YamlMapping mapping, string key, string context, string? requiredExample = null)
    {
        if (Text(mapping, key, context, requiredExample) is { } url && !IsHttpUrl(url.Value))
        {
            Error(url, $"'{key}' in {context} is '{url.Value}' (expected an absolute http or https URL)");
        }
    }

    private void WholeNumber(YamlMapping mapping, string key, string context, int minimum)
    {
        if (Text(mapping, key, context) is { } node
            && !(int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum))
        {
            Error(node, $"'{key}' in {context} is '{node.Value}' (expected a whole number, {minimum} or more)");
        }
    }

    private void OneOf(YamlMapping mapping, string key, string context, IReadOnlyCollection<string> allowed)
    {
        if (Text(mapping, key, context) is { } node && !allowed.Contains(node.Value))
        {
            Error(node, $"unknown value '{node.Value}' for '{key}' in {context} {Suggestions.Hint(node.Value, allowed)}");
        }
    }

    [GeneratedRegex(@"^\s*(<=|>=|==|!=|<|>)\s*-?\d+(\.\d+)?\s*$")]
    private static partial Regex Condition();
}

using Throughline.Model.Yaml;

namespace Throughline.Model;

internal sealed partial class ModelReader
{
    private static readonly string[] HealthKeys = ["attribution-window", "verification-window", "signals", "rollback"];
    private static readonly string[] RollbackKeys = ["automatic", "owner", "notify", "action"];
    private static readonly string[] ActionKeys = ["webhook", "secret", "timeout", "retries", "allow-hosts"];

    private HealthSettings ReadHealth(YamlNode? node)
    {
        if (node is null or YamlScalar { IsNull: true } || Mapping(node, "'health'") is not { } health)
        {
            return HealthSettings.Default;
        }

        const string context = "'health'";
        CheckKeys(health, context, HealthKeys);
        var attribution = Duration(health, "attribution-window", context) ?? HealthSettings.DefaultAttributionWindow;
        var verification = Duration(health, "verification-window", context);
        var signals = ReadSignals(health);

        RollbackSettings? rollback = null;
        if (health.Get("rollback") is { } rollbackNode and not YamlScalar { IsNull: true }
            && Mapping(rollbackNode, "'rollback' in 'health'") is { } rollbackMapping)
        {
            rollback = ReadRollback(rollbackMapping);
        }

        return new HealthSettings(attribution, verification, rollback, signals);
    }

    private RollbackSettings ReadRollback(YamlMapping mapping)
    {
        const string context = "'health.rollback'";
        CheckKeys(mapping, context, RollbackKeys);
        var automatic = Bool(mapping, "automatic", context);
        var owner = Text(mapping, "owner", context) is { } ownerNode ? Owner(ownerNode, context) : null;
        if (owner is not null)
        {
            _healthOwners.Add(owner);
        }

        var notify = ReadNotify(mapping);
        RollbackAction? action = null;
        if (mapping.Get("action") is { } actionNode and not YamlScalar { IsNull: true }
            && Mapping(actionNode, $"'action' in {context}") is { } actionMapping)
        {
            const string actionContext = "'health.rollback.action'";
            CheckKeys(actionMapping, actionContext, ActionKeys);
            var webhook = Text(actionMapping, "webhook", actionContext, "https://...");
            if (webhook is not null && !IsHttpUrl(webhook.Value))
            {
                Error(webhook, $"'webhook' in {actionContext} is '{webhook.Value}' (expected an absolute http or https URL)");
            }

            var secret = Secret(actionMapping, "secret", actionContext);
            var timeout = Duration(actionMapping, "timeout", actionContext) ?? RollbackAction.DefaultTimeout;
            var retries = WholeNumber(actionMapping, "retries", actionContext, minimum: 0) ?? RollbackAction.DefaultRetries;
            var allowHosts = TextList(actionMapping, "allow-hosts", actionContext);
            action = webhook is null ? null : new RollbackAction(webhook.Value, secret, timeout, retries, allowHosts);
        }

        return new RollbackSettings(automatic, owner, action, notify);
    }

    private TimeSpan? Duration(YamlMapping mapping, string key, string context)
    {
        if (Text(mapping, key, context) is not { } node)
        {
            return null;
        }

        if (Durations.Parse(node.Value) is not { } duration)
        {
            Error(node, $"invalid duration '{node.Value}' for '{key}' in {context} (expected {Durations.Expected})");
            return null;
        }

        return duration;
    }

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}

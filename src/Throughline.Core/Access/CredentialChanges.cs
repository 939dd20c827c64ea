using Throughline.Model;

namespace Throughline.Access;

/// <summary>What of an operating model only an admin may change: where the secrets that let tools write come from.</summary>
/// <remarks>
/// A tool's <c>secret</c> or <c>token</c> decides who can post its webhooks, and the rollback action's webhook and secret
/// decide where release actions go. An editor who could point them at a variable whose value they know (or at their own
/// server) could write events or receive actions, which their role does not allow; so a model that changes them needs an
/// admin. Everything else in the model an editor may change.
/// </remarks>
public static class CredentialChanges
{
    /// <summary>What changed between <paramref name="before"/> and <paramref name="after"/> that only an admin may change, in words; empty when nothing.</summary>
    public static IReadOnlyList<string> Between(OperatingModel? before, OperatingModel after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var old = Credentials(before);
        var now = Credentials(after);
        return
        [
            .. now.Where(c => !old.TryGetValue(c.Key, out var was) || was != c.Value).Select(c => $"{c.Key} ({c.Value})"),
            .. old.Keys.Where(k => !now.ContainsKey(k)).Select(k => $"{k} removed"),
        ];
    }

    private static Dictionary<string, string> Credentials(OperatingModel? model)
    {
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in model?.Tools ?? [])
        {
            credentials[$"tool '{tool.Id}'"] = $"kind {tool.Kind.Name}, secret {Variable(tool.Secret)}, token {Variable(tool.Token)}";
        }

        if (model?.Health.Rollback?.Action is { } action)
        {
            credentials["the rollback action"] = $"webhook {action.Webhook}, secret {Variable(action.Secret)}";
        }

        return credentials;
    }

    private static string Variable(SecretValue? secret) => secret?.VariableName is { } variable ? "${" + variable + "}" : "none";
}

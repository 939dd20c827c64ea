using System.Text.RegularExpressions;
using Throughline.Model.Yaml;

namespace Throughline.Model;

internal sealed partial class ModelReader
{
    private static readonly string[] ToolKeys = ["id", "kind", "secret", "token", "labels"];
    private static readonly string[] LabelKeys = ["service", "environment"];

    /// <summary>The kinds a tool may have, as the host says (<see cref="ModelLoadOptions.ToolKinds"/>); null accepts any.</summary>
    private IReadOnlyList<string>? ToolKindNames => options.ToolKinds;

    private List<Tool> ReadTools(YamlNode? node)
    {
        var tools = new List<Tool>();
        foreach (var item in Items(node, "tools"))
        {
            var id = Id(item, "tool", _toolIds);
            var context = $"tool '{id}'";
            CheckKeys(item, context, ToolKeys);
            ToolKind? kind = null;
            if (Text(item, "kind", context, ToolKindNames is null ? "a tool kind" : string.Join(" | ", ToolKindNames)) is { } kindNode)
            {
                if (ToolKindNames is null || ToolKindNames.Contains(kindNode.Value, StringComparer.Ordinal))
                {
                    kind = new ToolKind(kindNode.Value);
                }
                else
                {
                    Error(kindNode, $"unknown tool kind '{kindNode.Value}' in {context} {Suggestions.Hint(kindNode.Value, ToolKindNames)}");
                }
            }

            var secret = Secret(item, "secret", context);
            var token = Secret(item, "token", context);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            var labelsNode = item.Get("labels");
            if (labelsNode is YamlMapping labelsMapping)
            {
                CheckKeys(labelsMapping, $"the labels of {context}", LabelKeys);
            }

            foreach (var (thing, label) in TextMap(labelsNode, "labels", context))
            {
                labels[thing.Value] = label.Value;
            }

            if (id is not null && kind is not null)
            {
                _toolKindById[id] = kind.Name;
                tools.Add(new Tool(id, kind, secret, token, labels));
            }
        }

        return tools;
    }

    /// <summary>
    /// Reads a secret written <c>${VARIABLE}</c> and looks the variable up; a literal secret is an error (the file's text is served to viewers).
    /// Neither happens when the verb never uses secrets (<see cref="ModelLoadOptions.ReadSecrets"/>).
    /// </summary>
    private SecretValue? Secret(YamlMapping mapping, string key, string context)
    {
        if (Text(mapping, key, context) is not { } node)
        {
            return null;
        }

        var reference = VariableReference().Match(node.Value);
        if (reference.Success)
        {
            var variable = reference.Groups[1].Value;
            if (!options.ReadSecrets)
            {
                return new SecretValue(variable, null);
            }

            var value = options.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(value))
            {
                Add(node, options.RequireSecrets ? ProblemSeverity.Error : ProblemSeverity.Warning,
                    $"environment variable '{variable}' for '{key}' of {context} is not set (expected it to hold the {key})", 0);
                value = null;
            }

            return new SecretValue(variable, value);
        }

        if (node.Value.Contains("${", StringComparison.Ordinal))
        {
            Error(node, $"invalid secret reference '{node.Value}' in '{key}' of {context} (expected the whole value to be ${{VARIABLE}}, letters, digits and '_')");
            return null;
        }

        if (!options.ReadSecrets)
        {
            return new SecretValue(null, null);
        }

        // Refused, not warned about: the model's text is kept with every version and served to viewers.
        Error(node, $"literal secret in '{key}' of {context} (expected ${{VARIABLE}}; put secrets in the environment, not in the file, " +
            "which every viewer can read through the model's versions)");
        return null;
    }

    [GeneratedRegex(@"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex VariableReference();
}

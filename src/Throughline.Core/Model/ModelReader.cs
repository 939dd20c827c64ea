using System.Text.RegularExpressions;
using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>
/// Walks a YAML tree into an <see cref="OperatingModel"/>, reporting every problem it finds instead of
/// stopping at the first: wrong types, unknown keys, missing fields, duplicate ids and dangling references.
/// </summary>
/// <remarks>
/// Required: <c>version</c> (1), <c>organization</c>, <c>teams</c>, <c>environments</c> (one with
/// <c>production: true</c>), <c>services</c> and <c>flow</c> (non-empty); every list item's <c>id</c>;
/// <c>person.team</c>, <c>tool.kind</c>, <c>service.owner</c>, <c>stage.owner</c>, <c>stage.ends</c> and
/// <c>rollback.action.webhook</c>. Everything else is optional. Top-level keys starting with <c>x-</c> are
/// ignored, so they can hold anchors for merge keys.
/// </remarks>
internal sealed partial class ModelReader(string file, ModelLoadOptions options, List<ModelProblem> problems)
{
    private readonly List<Reference> _references = [];

    private enum ReferenceKind
    {
        Team,
        Tool,
        Responsibility,
        IdentityTool,
    }

    private void Error(YamlNode node, string message) => Add(node, ProblemSeverity.Error, message, 0);

    private void Add(YamlNode node, ProblemSeverity severity, string message, int columnOffset) =>
        problems.Add(new ModelProblem(file, node.Line, node.Column + columnOffset, severity, message));

    private YamlMapping? Mapping(YamlNode node, string what)
    {
        if (node is YamlMapping mapping)
        {
            return mapping;
        }

        Error(node, $"{what} is {node.Describe()} (expected a mapping of keys to values)");
        return null;
    }

    private void CheckKeys(YamlMapping mapping, string context, IReadOnlyCollection<string> known, bool allowExtensions = false)
    {
        foreach (var (key, _) in mapping.Entries)
        {
            if (!known.Contains(key.Value) && !(allowExtensions && key.Value.StartsWith("x-", StringComparison.Ordinal)))
            {
                Error(key, $"unknown key '{key.Value}' in {context} {Suggestions.Hint(key.Value, known)}");
            }
        }
    }

    private YamlNode? Required(YamlMapping mapping, string key, string context, string expected)
    {
        var node = mapping.Get(key);
        if (node is null)
        {
            Error(mapping, $"missing '{key}' in {context} (expected '{key}: {expected}')");
        }

        return node;
    }

    /// <summary>The text of a scalar value; null (and an error) when it is a list, a mapping or, if required, empty.</summary>
    private YamlScalar? Text(YamlNode? node, string key, string context, bool required = false)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalar { IsNull: true } when required:
                Error(node, $"'{key}' in {context} is empty (expected a value)");
                return null;
            case YamlScalar { IsNull: true }:
                return null;
            case YamlScalar scalar:
                return scalar;
            default:
                Error(node, $"'{key}' in {context} is {node.Describe()} (expected text)");
                return null;
        }
    }

    private YamlScalar? Text(YamlMapping mapping, string key, string context, string? requiredExpected = null) =>
        requiredExpected is null
            ? Text(mapping.Get(key), key, context)
            : Text(Required(mapping, key, context, requiredExpected), key, context, required: true);

    private bool Bool(YamlMapping mapping, string key, string context)
    {
        var node = mapping.Get(key);
        if (node is null or YamlScalar { IsNull: true })
        {
            return false;
        }

        if (node is YamlScalar { Value: "true" or "True" or "TRUE" })
        {
            return true;
        }

        if (node is not YamlScalar { Value: "false" or "False" or "FALSE" })
        {
            Error(node, $"'{key}' in {context} is {node.Describe()} (expected true or false)");
        }

        return false;
    }

    private List<YamlNode> List(YamlNode? node, string key, string context)
    {
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                return [];
            case YamlSequence sequence:
                return sequence.Items;
            default:
                Error(node, $"'{key}' in {context} is {node.Describe()} (expected a list, for example [a, b] or '- ' items)");
                return [];
        }
    }

    private List<string> TextList(YamlMapping mapping, string key, string context) =>
        [.. List(mapping.Get(key), key, context)
            .Select(item => Text(item, key + " item", context, required: true)?.Value)
            .OfType<string>()];

    /// <summary>The entries of a mapping from names to text values (labels, responsibilities), each value with its node.</summary>
    private List<(YamlScalar Key, YamlScalar Value)> TextMap(YamlNode? node, string key, string context)
    {
        if (node is null or YamlScalar { IsNull: true } || Mapping(node, $"'{key}' in {context}") is not { } mapping)
        {
            return [];
        }

        var entries = new List<(YamlScalar, YamlScalar)>();
        foreach (var (name, value) in mapping.Entries)
        {
            if (Text(value, name.Value, $"'{key}' of {context}", required: true) is { } text)
            {
                entries.Add((name, text));
            }
        }

        return entries;
    }

    /// <summary>Reads and checks a list item's id: present, well formed and unique among <paramref name="seen"/>.</summary>
    private string? Id(YamlMapping item, string kind, Dictionary<string, YamlScalar> seen)
    {
        var id = Text(item, "id", $"a {kind}", "<unique name>");
        if (id is null)
        {
            return null;
        }

        if (!IdPattern().IsMatch(id.Value))
        {
            Error(id, $"{kind} id '{id.Value}' is not valid (expected letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        else if (seen.TryGetValue(id.Value, out var first))
        {
            Error(id, $"duplicate {kind} id '{id.Value}' (expected unique ids; first defined at line {first.Line})");
            return null;
        }
        else
        {
            seen.Add(id.Value, id);
        }

        return id.Value;
    }

    private void Refer(YamlScalar node, ReferenceKind kind, string context, string? value = null, int columnOffset = 0) =>
        _references.Add(new Reference(value ?? node.Value, node, kind, context, columnOffset));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    private sealed record Reference(string Value, YamlScalar Node, ReferenceKind Kind, string Context, int ColumnOffset);
}

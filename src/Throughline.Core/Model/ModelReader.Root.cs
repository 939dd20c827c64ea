using Throughline.Model.Yaml;

namespace Throughline.Model;

internal sealed partial class ModelReader
{
    private const string Root = "the model";
    private const int SupportedVersion = 1;

    private static readonly string[] RootKeys =
        ["version", "organization", "teams", "people", "environments", "tools", "services", "responsibilities", "flow", "health", "diagnostics"];

    private readonly Dictionary<string, YamlScalar> _teamIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlScalar> _toolIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlScalar> _responsibilityNames = new(StringComparer.Ordinal);

    /// <summary>Reads the whole document; the model returned is only meaningful when no error was reported.</summary>
    public OperatingModel? Read(YamlNode? root)
    {
        if (root is null or YamlScalar { IsNull: true })
        {
            problems.Add(new ModelProblem(file, root?.Line ?? 1, root?.Column ?? 1, ProblemSeverity.Error,
                "the file is empty (expected an operating model, starting with 'version: 1')"));
            return null;
        }

        if (Mapping(root, "the document") is not { } mapping)
        {
            return null;
        }

        CheckKeys(mapping, Root, RootKeys, allowExtensions: true);
        var version = ReadVersion(mapping);
        var organization = Text(mapping, "organization", Root, "<name of the organization>")?.Value;
        var teams = ReadTeams(Required(mapping, "teams", Root, "[list of teams]"));
        var environments = ReadEnvironments(mapping);
        var tools = ReadTools(mapping.Get("tools"));
        var people = ReadPeople(mapping.Get("people"));
        var services = ReadServices(Required(mapping, "services", Root, "[list of services]"));
        var responsibilities = ReadResponsibilities(mapping.Get("responsibilities"), Root);
        foreach (var name in responsibilities.Keys)
        {
            _responsibilityNames.TryAdd(name.Value, name);
        }

        var flow = ReadFlow(mapping);
        var health = ReadHealth(mapping.Get("health"));
        var diagnostics = ReadDiagnostics(mapping.Get("diagnostics"));
        UnusedResponsibilities(flow);
        CheckReferences();

        return new OperatingModel(
            version,
            organization ?? "",
            teams,
            people,
            environments,
            tools,
            services,
            responsibilities.ToDictionary(e => e.Key.Value, e => e.Value),
            flow,
            health)
        {
            Diagnostics = diagnostics,
        };
    }

    private int ReadVersion(YamlMapping mapping)
    {
        var version = Text(mapping, "version", Root, SupportedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (version is not null && version.Value != "1")
        {
            Error(version, $"unsupported version '{version.Value}' (expected 1)");
        }

        return SupportedVersion;
    }

    private void CheckReferences()
    {
        // An identity names a tool, a tool kind or sign-in (Person.SignInTool); without the host's kinds (ModelLoadOptions.ToolKinds) any is accepted.
        // Built once, in the order hints list them, with a lookup that does not grow with the number of tools.
        IReadOnlyCollection<string>? identityTools = null;
        if (ToolKindNames is not null)
        {
            var names = new OrderedDictionary<string, bool>(StringComparer.Ordinal);
            foreach (var name in _toolIds.Keys.Concat(ToolKindNames).Append(Person.SignInTool))
            {
                names.TryAdd(name, true);
            }

            identityTools = names.Keys;
        }

        // One memo per kind of name: a misspelling repeated a thousand times is compared once, and the comparisons are bounded.
        var hints = new Dictionary<ReferenceKind, Suggestions.Memo>();
        foreach (var reference in _references)
        {
            var known = reference.Kind switch
            {
                ReferenceKind.Team => _teamIds.Keys,
                ReferenceKind.Tool => _toolIds.Keys,
                ReferenceKind.Responsibility => _responsibilityNames.Keys,
                _ => identityTools,
            };
            if (known is null || known.Contains(reference.Value))
            {
                continue;
            }

            var (noun, expected) = reference.Kind switch
            {
                ReferenceKind.Team => ("team", null),
                ReferenceKind.Tool => ("tool", null),
                ReferenceKind.Responsibility => ("responsibility", _responsibilityNames.Count == 0 ? "a name under the top-level 'responsibilities'" : null),
                _ => ("tool", null as string),
            };
            if (!hints.TryGetValue(reference.Kind, out var memo))
            {
                hints[reference.Kind] = memo = new Suggestions.Memo(known);
            }

            Add(reference.Node, ProblemSeverity.Error, $"unknown {noun} '{reference.Value}' in {reference.Context} {memo.Hint(reference.Value, expected)}", reference.ColumnOffset);
        }
    }
}

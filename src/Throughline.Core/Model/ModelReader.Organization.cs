using Throughline.Model.Yaml;

namespace Throughline.Model;

internal sealed partial class ModelReader
{
    private static readonly string[] TeamKeys = ["id", "name", "type", "contact"];
    private static readonly string[] PersonKeys = ["id", "team", "identities"];
    private static readonly string[] EnvironmentKeys = ["id", "production"];
    private static readonly string[] ServiceKeys = ["id", "name", "owner", "repositories", "paths", "responsibilities"];

    private static readonly Dictionary<string, TeamType> TeamTypes = new(StringComparer.Ordinal)
    {
        ["stream-aligned"] = TeamType.StreamAligned,
        ["platform"] = TeamType.Platform,
        ["enabling"] = TeamType.Enabling,
        ["complicated-subsystem"] = TeamType.ComplicatedSubsystem,
    };

    private readonly Dictionary<string, (string Person, YamlScalar Node)> _identities = new(StringComparer.Ordinal);

    /// <summary>The mappings of a list of items, reporting items that are not mappings.</summary>
    private IEnumerable<YamlMapping> Items(YamlNode? node, string key) =>
        List(node, key, Root).Select(item => Mapping(item, $"an item of '{key}'")).OfType<YamlMapping>();

    private List<Team> ReadTeams(YamlNode? node)
    {
        var teams = new List<Team>();
        foreach (var item in Items(node, "teams"))
        {
            var id = Id(item, "team", _teamIds);
            var context = $"team '{id}'";
            CheckKeys(item, context, TeamKeys);
            var name = Text(item, "name", context)?.Value;
            var contact = Text(item, "contact", context)?.Value;
            TeamType? type = null;
            if (Text(item, "type", context) is { } typeNode)
            {
                if (TeamTypes.TryGetValue(typeNode.Value, out var parsed))
                {
                    type = parsed;
                }
                else
                {
                    Error(typeNode, $"unknown team type '{typeNode.Value}' in {context} {Suggestions.Hint(typeNode.Value, TeamTypes.Keys)}");
                }
            }

            if (id is not null)
            {
                teams.Add(new Team(id, name, type, contact));
            }
        }

        return teams;
    }

    private List<DeploymentEnvironment> ReadEnvironments(YamlMapping root)
    {
        var node = Required(root, "environments", Root, "[list of environments]");
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        var environments = new List<DeploymentEnvironment>();
        foreach (var item in Items(node, "environments"))
        {
            var id = Id(item, "environment", seen);
            var context = $"environment '{id}'";
            CheckKeys(item, context, EnvironmentKeys);
            var production = Bool(item, "production", context);
            if (id is not null)
            {
                environments.Add(new DeploymentEnvironment(id, production));
            }
        }

        if (node is YamlSequence && !environments.Any(e => e.IsProduction) && !HasProductionFlag(node))
        {
            Error(root.GetKey("environments")!,
                "no environment has 'production: true' (expected at least one production environment, whose deployments count for DORA metrics)");
        }

        return environments;
    }

    /// <summary>
    /// True when some environment's production flag is true or already reported as invalid
    /// (a dropped item, <c>production: maybe</c>), so as not to report a second error for it.
    /// </summary>
    private static bool HasProductionFlag(YamlNode node) =>
        node is YamlSequence sequence && sequence.Items.OfType<YamlMapping>().Any(m =>
            m.Get("production") is { } flag && flag is not YamlScalar { IsNull: true } and not YamlScalar { Value: "false" or "False" or "FALSE" });

    private List<Person> ReadPeople(YamlNode? node)
    {
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        var people = new List<Person>();
        foreach (var item in Items(node, "people"))
        {
            var id = Id(item, "person", seen);
            var context = $"person '{id}'";
            CheckKeys(item, context, PersonKeys);
            var team = Text(item, "team", context, "<team id>");
            if (team is not null)
            {
                Refer(team, ReferenceKind.Team, context);
            }

            var identities = new List<ToolIdentity>();
            foreach (var entry in List(item.Get("identities"), "identities", context))
            {
                if (Text(entry, "identities item", context, required: true) is { } text && ReadIdentity(text, id, context) is { } identity)
                {
                    identities.Add(identity);
                }
            }

            if (id is not null)
            {
                people.Add(new Person(id, team?.Value ?? "", identities));
            }
        }

        return people;
    }

    private ToolIdentity? ReadIdentity(YamlScalar text, string? person, string context)
    {
        var colon = text.Value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Value.Length - 1)
        {
            Error(text, $"invalid identity '{text.Value}' in {context} (expected tool:login, for example github:alice)");
            return null;
        }

        if (_identities.TryGetValue(text.Value, out var owner))
        {
            Error(text, $"identity '{text.Value}' given to two people (expected one person per login; already '{owner.Person}' at line {owner.Node.Line})");
            return null;
        }

        _identities[text.Value] = (person ?? "", text);
        var tool = text.Value[..colon];
        Refer(text, ReferenceKind.IdentityTool, context, tool);
        return new ToolIdentity(tool, text.Value[(colon + 1)..]);
    }

    private List<Service> ReadServices(YamlNode? node)
    {
        var seen = new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
        var services = new List<Service>();
        foreach (var item in Items(node, "services"))
        {
            var id = Id(item, "service", seen);
            var context = $"service '{id}'";
            CheckKeys(item, context, ServiceKeys);
            var name = Text(item, "name", context)?.Value;
            var owner = Text(item, "owner", context, "<team id>");
            if (owner is not null)
            {
                Refer(owner, ReferenceKind.Team, context);
            }

            var repositories = TextList(item, "repositories", context);
            var paths = TextList(item, "paths", context);
            var responsibilities = ReadResponsibilities(item.Get("responsibilities"), context);
            if (id is not null)
            {
                services.Add(new Service(id, name, owner?.Value ?? "", repositories, paths,
                    responsibilities.ToDictionary(e => e.Key.Value, e => e.Value)));
            }
        }

        return services;
    }

    /// <summary>Reads responsibility name → team id, checking names are kebab-case and remembering the teams to check.</summary>
    private Dictionary<YamlScalar, string> ReadResponsibilities(YamlNode? node, string context)
    {
        var responsibilities = new Dictionary<YamlScalar, string>();
        foreach (var (name, team) in TextMap(node, "responsibilities", context))
        {
            _responsibilityKeys.Add(name);
            if (!KebabCase().IsMatch(name.Value))
            {
                Error(name, $"responsibility name '{name.Value}' in {context} is not kebab-case {Suggestions.Hint(name.Value, OperatingModel.KnownResponsibilities, "lowercase words joined by '-', such as " + string.Join(", ", OperatingModel.KnownResponsibilities))}");
                continue;
            }

            Refer(team, ReferenceKind.Team, $"responsibility '{name.Value}' of {context}");
            responsibilities[name] = team.Value;
        }

        return responsibilities;
    }
}

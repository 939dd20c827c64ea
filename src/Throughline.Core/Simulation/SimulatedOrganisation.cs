using Throughline.Model;

namespace Throughline.Simulation;

/// <summary>How often a service goes to production.</summary>
public enum DeployCadence
{
    /// <summary>Every artifact that passes staging (and QA when required) is deployed.</summary>
    Continuous,

    /// <summary>Once each weekday at 14:00 UTC, the newest artifact that is ready.</summary>
    Daily,

    /// <summary>Once a week, Tuesday at 10:00 UTC, the newest artifact that is ready.</summary>
    Weekly,
}

/// <summary>A team of the simulated organisation.</summary>
/// <param name="Id">Team id in the model.</param>
/// <param name="Name">Display name.</param>
/// <param name="Type">Team Topologies type.</param>
/// <param name="People">Ids of its people; each has the GitHub login of the same name.</param>
public sealed record SimulatedTeam(string Id, string Name, TeamType Type, IReadOnlyList<string> People);

/// <summary>A service of the simulated organisation.</summary>
/// <param name="Id">Service id (also the Argo CD application and the artifact name).</param>
/// <param name="Owner">Owning team id.</param>
/// <param name="Repository">Repository, <c>org/name</c>; several services share the monorepo.</param>
/// <param name="Path">The service's folder in a monorepo, or null.</param>
/// <param name="Cadence">How often it goes to production.</param>
/// <param name="NeedsQaSignOff">Whether each staged artifact waits for the QA team's ticket to close.</param>
/// <param name="ReportsUpgrades">Whether production deployments after the first are sent as <c>service.upgraded</c>.</param>
/// <param name="FailureRate">Chance that a production deployment causes an incident.</param>
/// <param name="Weight">Share of the organisation's changes that land in this service.</param>
public sealed record SimulatedService(
    string Id, string Owner, string Repository, string? Path, DeployCadence Cadence, bool NeedsQaSignOff,
    bool ReportsUpgrades, double FailureRate, double Weight);

/// <summary>The organisation the simulator plays: teams, people, services and the teams that hold the handoffs.</summary>
/// <remarks>Built from <see cref="SimulationOptions"/> and its seed alone, so it is the same on every run.</remarks>
public sealed record SimulatedOrganisation(
    string Name, string Slug, IReadOnlyList<SimulatedTeam> Teams, IReadOnlyList<SimulatedService> Services,
    string PlatformTeam, string InfraTeam, string QaTeam)
{
    private static readonly string[] StreamNames = ["storefront", "payments", "growth", "accounts", "fulfilment", "mobile", "partners", "marketing"];
    private static readonly string[] ServiceNames =
        ["checkout", "catalog", "search", "cart", "ledger", "pricing", "profile", "inventory", "shipping", "reviews", "notifications", "recommendations"];

    private static readonly string[] FirstNames =
        ["alice", "bob", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo", "kai", "lena", "mo", "nia", "omar", "pia", "quinn", "ravi", "sara", "tom", "uma", "vik", "wen", "yusuf"];

    /// <summary>Builds the organisation for <paramref name="options"/>.</summary>
    public static SimulatedOrganisation Create(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Randomness(unchecked((options.Seed * 7919) + 17));
        var teams = new List<SimulatedTeam>();
        var person = 0;
        SimulatedTeam Team(string id, string name, TeamType type, int size)
        {
            var people = Enumerable.Range(0, size).Select(_ => PersonName(person++)).ToList();
            var team = new SimulatedTeam(id, name, type, people);
            teams.Add(team);
            return team;
        }

        // Product teams first: one complicated-subsystem team, the rest stream-aligned.
        var hasInfra = options.Teams >= 5;
        var productTeams = options.Teams - (hasInfra ? 3 : 2);
        Team("search-ranking", "Search ranking", TeamType.ComplicatedSubsystem, 3 + random.Next(3));
        for (var i = 0; i < productTeams - 1; i++)
        {
            var id = i < StreamNames.Length ? StreamNames[i] : $"stream-{i + 1}";
            Team(id, Title(id), TeamType.StreamAligned, 3 + random.Next(4));
        }

        var platform = Team("platform", "Platform", TeamType.Platform, 3);
        // The gatekeeping teams grow slower than the organisation: about one person per eight (QA) or ten (infra) services.
        var qa = Team("qa", "Quality assurance", TeamType.Enabling, 2 + (options.Services / 8));
        // Infra deploys to production by hand and QA signs off by hand: the two queues flow analysis should find.
        var infra = hasInfra ? Team("infra", "Infrastructure", TeamType.Platform, 1 + (options.Services / 10)) : platform;

        var owners = teams.Where(t => t.Type is TeamType.StreamAligned or TeamType.ComplicatedSubsystem).ToList();
        var slug = "acme";
        var services = new List<SimulatedService>();
        var monorepoSize = options.Services >= 4 ? 3 : 0;
        for (var i = 0; i < options.Services; i++)
        {
            var id = i < ServiceNames.Length ? ServiceNames[i] : $"service-{i + 1}";
            var inMonorepo = i >= 1 && i <= monorepoSize;
            var cadence = (i % 4) switch { 0 => DeployCadence.Continuous, 1 => DeployCadence.Daily, 2 => DeployCadence.Continuous, _ => DeployCadence.Weekly };
            services.Add(new SimulatedService(
                id,
                Owner: owners[(i + 1) % owners.Count].Id,
                Repository: inMonorepo ? $"{slug}/shop" : $"{slug}/{id}",
                Path: inMonorepo ? $"services/{id}" : null,
                Cadence: cadence,
                NeedsQaSignOff: cadence != DeployCadence.Continuous || i % 3 == 0,
                ReportsUpgrades: i % 2 == 1,
                FailureRate: Math.Round(random.Uniform(0.04, 0.18), 3),
                Weight: random.Uniform(0.5, 2.0)));
        }

        var total = services.Sum(s => s.Weight);
        services = services.Select(s => s with { Weight = s.Weight / total }).ToList();
        return new SimulatedOrganisation($"Acme Retail (simulated, seed {options.Seed})", slug, teams, services, platform.Id, infra.Id, qa.Id);
    }

    /// <summary>The person (and GitHub login) at <paramref name="index"/>: first names, then numbered.</summary>
    private static string PersonName(int index) =>
        index < FirstNames.Length ? FirstNames[index] : $"{FirstNames[index % FirstNames.Length]}{(index / FirstNames.Length) + 1}";

    private static string Title(string id) => char.ToUpperInvariant(id[0]) + id[1..].Replace('-', ' ');

    /// <summary>The teams owning at least one service that needs QA sign-off, in the order of the teams: those that can approve their own.</summary>
    public IReadOnlyList<string> TeamsWithSignOff() =>
        [.. Teams.Where(t => Services.Any(s => s.Owner == t.Id && s.NeedsQaSignOff)).Select(t => t.Id)];

    /// <summary>The team with id <paramref name="id"/>.</summary>
    public SimulatedTeam Team(string id) => Teams.First(t => t.Id == id);
}

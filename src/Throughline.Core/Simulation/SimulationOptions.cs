namespace Throughline.Simulation;

/// <summary>The knobs of a simulated organisation; the same options and seed always give the same history, byte for byte.</summary>
/// <remarks>All times are UTC. <see cref="ChangesPerDay"/> is the mean number of changes opened on a weekday, across all services.</remarks>
public sealed record SimulationOptions
{
    /// <summary>The default first day: a Monday, fixed so that output does not depend on when it runs.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Seeds every random choice.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many teams (at least 4: one of each Team Topologies type).</summary>
    public int Teams { get; init; } = 6;

    /// <summary>How many services (at least 2).</summary>
    public int Services { get; init; } = 8;

    /// <summary>How many days of history.</summary>
    public int Days { get; init; } = 90;

    /// <summary>Mean changes opened per weekday across all services (weekends see a tenth of it).</summary>
    public double ChangesPerDay { get; init; } = 24;

    /// <summary>The first simulated day (its time of day is ignored: the history starts at midnight UTC).</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>
    /// When set, the first production deployment of a new artifact at or after this time fails its smoke tests (and, unless it
    /// is a hotfix, goes on to cause an incident); null (the default): smoke tests fail only by chance.
    /// </summary>
    /// <remarks>
    /// The live part of <c>demo</c> sets it to where the live replay starts, so that a person trying the demo sees a failed
    /// release within minutes. Nothing before this time changes: the history up to it is the same, byte for byte, as without it.
    /// </remarks>
    public DateTimeOffset? FailSmokeTestAfter { get; init; }

    /// <summary>A stage whose waiting is multiplied (<see cref="SimulatedBottleneck"/>); null (the default): none.</summary>
    /// <remarks>With a bottleneck or a <see cref="SelfApprovingTeam"/> the history differs from the one without; <see cref="HistoryFile"/> reports what was injected.</remarks>
    public SimulatedBottleneck? Bottleneck { get; init; }

    /// <summary>
    /// A product team that approves its own production deployments: the QA sign-off tickets of its services are picked up and
    /// closed by one of its own people, outside QA's queue, instead of by the QA team the model declares for
    /// <c>approve-production</c>. Null (the default): QA signs every ticket off.
    /// </summary>
    /// <remarks>When set, every ticket's start and close name who did them (<c>customData.actor</c>, <c>customData.approver</c>), QA's own included.</remarks>
    public string? SelfApprovingTeam { get; init; }

    /// <summary>Whether anything is injected (a bottleneck or a self-approving team), so that there is ground truth to report.</summary>
    public bool Injects => Bottleneck is not null || SelfApprovingTeam is not null;

    /// <summary>The problems with these options, one line each; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Teams is < 4 or > 200)
        {
            problems.Add($"--teams {Teams}: expected 4 to 200 (one team of each Team Topologies type at least)");
        }

        if (Services is < 2 or > 2000)
        {
            problems.Add($"--services {Services}: expected 2 to 2000");
        }

        if (Days is < 1 or > 3650)
        {
            problems.Add($"--days {Days}: expected 1 to 3650");
        }

        if (ChangesPerDay is <= 0 or > 1_000_000 || double.IsNaN(ChangesPerDay))
        {
            problems.Add($"--changes-per-day {ChangesPerDay}: expected more than 0 and at most 1,000,000");
        }

        if (Bottleneck?.Problem() is { } bottleneck)
        {
            problems.Add(bottleneck);
        }

        if (SelfApprovingTeam is { } team && problems.Count == 0)
        {
            var candidates = SimulatedOrganisation.Create(this).TeamsWithSignOff();
            if (!candidates.Contains(team, StringComparer.Ordinal))
            {
                problems.Add($"--self-approving-team {team}: not a team whose services need QA sign-off (expected one of {string.Join(", ", candidates)})");
            }
        }

        return problems;
    }
}

using System.Text.Json;

namespace Throughline.Simulation;

/// <summary>
/// What a simulation injected on purpose (<see cref="SimulationOptions.Bottleneck"/>, <see cref="SimulationOptions.SelfApprovingTeam"/>):
/// the answer analysis of the history should find, written beside it.
/// </summary>
/// <param name="Seed">The seed of the history.</param>
/// <param name="Start">Its first instant (midnight UTC).</param>
/// <param name="Days">How many days it covers.</param>
/// <param name="Bottleneck">The stage whose waiting was multiplied, and by how much; null when none.</param>
/// <param name="SelfApproval">The team that approved its own deployments, and every approval it did; null when none.</param>
public sealed record SimulationTruth(int Seed, DateTimeOffset Start, int Days, SimulatedBottleneck? Bottleneck, SelfApprovalTruth? SelfApproval)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Where the truth of the history at <paramref name="historyPath"/> is written: <c>history.jsonl</c> → <c>history.truth.json</c>.</summary>
    public static string PathFor(string historyPath)
    {
        ArgumentNullException.ThrowIfNull(historyPath);
        var extension = Path.GetExtension(historyPath);
        var stem = extension.Length > 0 ? historyPath[..^extension.Length] : historyPath;
        return stem + ".truth.json";
    }

    /// <summary>The truth as indented JSON (camelCase names, times in ISO 8601 UTC).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static SimulationTruth Parse(string json) =>
        JsonSerializer.Deserialize<SimulationTruth>(json, Json) ?? throw new InvalidOperationException("the truth file holds null");
}

/// <summary>A team that deployed without the declared approval: its own people closed its services' approval tickets.</summary>
/// <param name="Team">The team.</param>
/// <param name="Stage">The approval stage it went around (<c>qa-signoff</c>).</param>
/// <param name="DeclaredApprover">The team the model says approves (<c>responsibilities.approve-production</c>).</param>
/// <param name="Services">The team's services that need the approval, in the model's order.</param>
/// <param name="Approvals">Every approval the team did, in the order they happened.</param>
public sealed record SelfApprovalTruth(string Team, string Stage, string DeclaredApprover, IReadOnlyList<string> Services, IReadOnlyList<InjectedApproval> Approvals);

/// <summary>One approval done by the team itself.</summary>
/// <param name="Change">The change, as its id appears in the timeline (<c>acme/checkout#12</c>).</param>
/// <param name="Service">The change's service.</param>
/// <param name="Ticket">The sign-off ticket.</param>
/// <param name="Approver">The person (and login) of the team who closed it.</param>
/// <param name="At">When it was closed (the simulation's clock; the event's timestamp adds the tool's skew of a few seconds).</param>
public sealed record InjectedApproval(string Change, string Service, string Ticket, string Approver, DateTimeOffset At);

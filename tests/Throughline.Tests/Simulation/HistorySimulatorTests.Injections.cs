using Throughline.Simulation;

namespace Throughline.Tests.Simulation;

public sealed partial class HistorySimulatorTests
{
    [Fact]
    public async Task Bottleneck_Review_FirstReviewWaitsAboutFactorTimesLonger()
    {
        var plain = await SimulatedHistory.CreateAsync(NinetyDays);
        var slowed = await SimulatedHistory.CreateAsync(NinetyDays with { Bottleneck = new SimulatedBottleneck("review", 6) });

        var (before, after) = (MedianFirstReviewHours(plain), MedianFirstReviewHours(slowed));

        // The wait is counted in working hours, so six times the work spans more than six times the clock: nights and weekends.
        Assert.InRange(after / before, 5, 12);
    }

    [Fact]
    public async Task Injections_SameOptionsTwice_SameBytesAndSameTruth()
    {
        var options = NinetyDays with { Days = 30, Bottleneck = new SimulatedBottleneck("qa-signoff", 3), SelfApprovingTeam = "payments" };

        var (first, firstTruth) = await WriteAsync(options);
        var (second, secondTruth) = await WriteAsync(options);

        Assert.Equal(first, second);
        Assert.Equal(firstTruth!.ToJson(), secondTruth!.ToJson());
        Assert.NotEmpty(firstTruth.SelfApproval!.Approvals);
    }

    [Fact]
    public async Task SelfApprovingTeam_ItsTicketsClosedByItsPeople_OthersByQa()
    {
        var options = NinetyDays with { Days = 30, SelfApprovingTeam = "storefront" };
        var organisation = SimulatedOrganisation.Create(options);
        var history = await SimulatedHistory.CreateAsync(options);

        var closed = history.OfType("ticket.closed").ToList();

        var own = organisation.Services.Where(s => s.Owner == "storefront").Select(s => "service:" + s.Id).ToHashSet();
        var (team, qa) = (organisation.Team("storefront").People, organisation.Team(organisation.QaTeam).People);
        Assert.All(closed, ticket =>
        {
            var labels = ticket.Content.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
            var approver = ticket.CustomData!.Value.GetProperty("approver").GetString()!;
            Assert.Contains(approver, labels.Any(own.Contains) ? team : qa);
        });
        Assert.Contains(closed, t => team.Contains(t.CustomData!.Value.GetProperty("approver").GetString()!));
    }

    private static double MedianFirstReviewHours(SimulatedHistory history)
    {
        var created = history.OfType("change.created").ToDictionary(e => e.SubjectId, e => e.Timestamp);
        var waits = history.OfType("change.reviewed").GroupBy(e => e.SubjectId)
            .Select(g => (g.Min(e => e.Timestamp) - created[g.Key]).TotalHours).Order().ToList();
        return waits[waits.Count / 2];
    }

    private static async Task<(byte[] History, SimulationTruth? Truth)> WriteAsync(SimulationOptions options)
    {
        using var stream = new MemoryStream();
        var summary = await HistoryFile.WriteAsync(options, stream, null, TestContext.Current.CancellationToken);
        return (stream.ToArray(), summary.Truth);
    }
}

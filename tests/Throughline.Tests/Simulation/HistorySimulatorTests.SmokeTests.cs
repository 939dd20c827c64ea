using System.Text;
using Throughline.Simulation;

namespace Throughline.Tests.Simulation;

public sealed partial class HistorySimulatorTests
{
    /// <summary>A Monday morning three weeks in: where a demo's live part would start.</summary>
    private static readonly DateTimeOffset LiveStart = SimulationOptions.DefaultStart.AddDays(21).AddHours(9);

    [Fact]
    public async Task SmokeTests_EveryProductionDeployment_RunOnceAfterIt()
    {
        var history = await SimulatedHistory.CreateAsync(NinetyDays);
        var end = NinetyDays.Start.AddDays(NinetyDays.Days);

        var deployments = ProductionDeployments(history).Where(d => d.Timestamp < end.AddHours(-1)).ToList();
        var smokeTests = SmokeTests(history).ToList();

        Assert.True(deployments.Count > 300, $"only {deployments.Count} production deployments");
        Assert.All(deployments, deployment =>
        {
            var runs = smokeTests.Where(s => Custom(s, "service") == deployment.SubjectId && Custom(s, "artifactId") == deployment.Text("artifactId")).ToList();
            var run = Assert.Single(runs);
            Assert.InRange(run.Timestamp - deployment.Timestamp, TimeSpan.FromMinutes(2) - SkewAllowance, TimeSpan.FromMinutes(6) + SkewAllowance);
            Assert.Equal("production", run.Text("environment", "id"));
            Assert.Equal(HistorySimulator.SmokeTests, run.Text("testSuite", "name"));
            Assert.StartsWith("dev.cdevents.testsuiterun.finished.", run.Type, StringComparison.Ordinal);
        });
        Assert.Equal(ProductionDeployments(history).Count(), smokeTests.Count);
    }

    [Fact]
    public async Task SmokeTests_FailOnlyForDeploymentsThatCauseAnIncident_AboutHalfOfThem()
    {
        var history = await SimulatedHistory.CreateAsync(NinetyDays with { Days = 180 });
        var incidents = history.OfType("incident.detected").ToList();

        var failed = SmokeTests(history).Where(s => s.Text("outcome") == "failure").ToList();
        var named = incidents.Select(i => i.Text("artifactId")).OfType<string>().ToHashSet();

        Assert.True(failed.Count > 20, $"only {failed.Count} failed smoke tests");
        Assert.All(failed, run => Assert.Contains(incidents, incident =>
            incident.Text("service", "id") == Custom(run, "service") && incident.Timestamp > run.Timestamp - TimeSpan.FromMinutes(7)
            && (incident.Text("artifactId") ?? Custom(run, "artifactId")) == Custom(run, "artifactId")));
        // Of the deployments an incident names (those the simulator made fail), the smoke tests caught about half.
        var caught = SmokeTests(history).Where(s => named.Contains(Custom(s, "artifactId")!)).ToList();
        Assert.InRange(caught.Count(s => s.Text("outcome") == "failure") / (double)caught.Count, 0.3, 0.7);
    }

    [Fact]
    public async Task FailSmokeTestAfter_FirstDeploymentAfterItFails_NothingBeforeItChanges()
    {
        var options = NinetyDays with { Days = 28 };
        var plain = await SimulatedHistory.CreateAsync(options);
        var forced = await SimulatedHistory.CreateAsync(options with { FailSmokeTestAfter = LiveStart });

        var first = ProductionDeployments(forced).First(d => d.Timestamp >= LiveStart);
        var run = SmokeTests(forced).Single(s => Custom(s, "artifactId") == first.Text("artifactId") && Custom(s, "service") == first.SubjectId);
        var before = LiveStart - SkewAllowance;

        Assert.Equal("failure", run.Text("outcome"));
        Assert.Equal(Before(plain, before), Before(forced, before));
    }

    [Fact]
    public void RollBack_OfTheFailedDeployment_GoesToTheArtifactBeforeAndIsNeverDeployedAgain()
    {
        var options = NinetyDays with { FailSmokeTestAfter = LiveStart };
        var simulator = new HistorySimulator(options, SimulatedOrganisation.Create(options));
        var seen = Read(simulator.RunUntil(LiveStart));
        HistoryEvent? failed = null;
        while (failed is null && simulator.Clock < LiveStart.AddDays(3))
        {
            var batch = Read(simulator.RunUntil(simulator.Clock.AddMinutes(10)));
            seen.AddRange(batch);
            failed = batch.FirstOrDefault(e => e.Text("testSuite", "name") == HistorySimulator.SmokeTests && e.Text("outcome") == "failure");
        }

        Assert.NotNull(failed);
        var (service, artifact) = (Custom(failed, "service")!, Custom(failed, "artifactId")!);
        var deployed = seen.Where(e => e.SubjectId == service && e.Text("environment", "id") == "production" && e.Type.StartsWith("dev.cdevents.service.", StringComparison.Ordinal))
            .DistinctBy(e => e.Id).Select(e => e.Text("artifactId")).ToList();
        var previous = deployed[deployed.LastIndexOf(artifact) - 1];

        var rollback = simulator.RollBack(service, artifact, to: null, "key-1", simulator.Clock);
        var seenIds = seen.Select(e => e.Id).ToHashSet();
        var later = Read(simulator.RunUntil(simulator.Clock.AddDays(3))).Where(e => !seenIds.Contains(e.Id)).ToList();

        Assert.NotNull(rollback);
        Assert.Equal(previous, rollback.To);
        var sent = HistoryEvent.Parse(Encoding.UTF8.GetString(rollback.Event.Json));
        Assert.Equal(("/argocd/production", service, previous), (sent.Source, sent.SubjectId, sent.Text("artifactId")));
        Assert.StartsWith("dev.cdevents.service.rolledback.", sent.Type, StringComparison.Ordinal);
        Assert.Equal(sent.Id, HistoryEvent.Parse(Encoding.UTF8.GetString(simulator.RollBack(service, artifact, previous, "key-1", simulator.Clock)!.Event.Json)).Id);
        Assert.DoesNotContain(later, e => e.Text("artifactId") == artifact);
        Assert.Null(simulator.RollBack("no-such-service", artifact, to: null, "key-2", simulator.Clock));
    }

    private static IEnumerable<HistoryEvent> ProductionDeployments(SimulatedHistory history) =>
        history.OfType("service.deployed").Concat(history.OfType("service.upgraded")).Where(e => e.Text("environment", "id") == "production");

    private static IEnumerable<HistoryEvent> SmokeTests(SimulatedHistory history) =>
        history.OfType("testsuiterun.finished").Where(e => e.Text("testSuite", "name") == HistorySimulator.SmokeTests);

    private static string? Custom(HistoryEvent e, string name) =>
        e.CustomData is { } custom && custom.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static List<string> Before(SimulatedHistory history, DateTimeOffset time) =>
        history.Lines.Where(line => HistoryEvent.Parse(line).Timestamp < time).ToList();

    private static List<HistoryEvent> Read(IEnumerable<SimulatedEvent> events) =>
        events.Select(e => HistoryEvent.Parse(Encoding.UTF8.GetString(e.Json))).ToList();
}

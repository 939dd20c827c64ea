using Throughline.Model;
using Throughline.Simulation;

namespace Throughline.Tests.Simulation;

public sealed class SimulatedOrganisationTests
{
    [Theory]
    [InlineData(4, 2)]
    [InlineData(6, 8)]
    [InlineData(20, 60)]
    public void Model_AnySize_ValidWithEveryTeamTypeAndAMonorepo(int teams, int services)
    {
        var options = new SimulationOptions { Teams = teams, Services = services };

        var yaml = ModelWriter.Write(SimulatedOrganisation.Create(options), options);
        var loaded = OperatingModelLoader.LoadText(yaml, "simulated.yaml", new ModelLoadOptions { RequireSecrets = true });

        Assert.True(loaded.IsValid, string.Join('\n', loaded.Problems));
        Assert.All(loaded.Problems, p => Assert.Contains("accepted, not used yet", p.Message, StringComparison.Ordinal));
        var model = loaded.Model!;
        Assert.Equal(teams, model.Teams.Count);
        Assert.Equal(services, model.Services.Count);
        Assert.Equal(Enum.GetValues<TeamType>().Order(), model.Teams.Select(t => t.Type!.Value).Distinct().Order());
        if (services >= 4)
        {
            Assert.Contains(model.Services.GroupBy(s => s.Repositories[0]), g => g.Count() >= 2 && g.All(s => s.Paths.Count == 1));
        }
    }

    [Fact]
    public async Task History_HasEveryKindOfFailureTheMetricsMustHandle()
    {
        var history = await SimulatedHistory.CreateAsync(new SimulationOptions { Seed = 3, Days = 180 });

        var detected = history.OfType("incident.detected").ToList();
        var resolved = history.OfType("incident.resolved").Select(e => e.SubjectId).ToHashSet();
        var production = history.OfType("service.deployed").Concat(history.OfType("service.upgraded")).Where(e => e.Text("environment", "id") == "production").ToList();

        Assert.Contains(detected, e => e.Text("artifactId") is not null);
        Assert.Contains(detected, e => e.Text("artifactId") is null && e.Text("service", "id") is not null);
        Assert.Contains(detected, e => e.Text("service", "id") is null);
        Assert.Contains(detected, e => !resolved.Contains(e.SubjectId));
        Assert.NotEmpty(history.OfType("service.rolledback"));
        Assert.Contains(history.OfType("change.created"), e => e.CustomData?.GetProperty("title").GetString()!.StartsWith("Hotfix", StringComparison.Ordinal) == true);
        Assert.NotEmpty(history.OfType("service.upgraded"));
        Assert.Contains(history.OfType("pipelinerun.finished"), e => e.Text("outcome") == "failure");
        Assert.True(production.Count > 100, $"only {production.Count} production deployments");
    }

    [Fact]
    public async Task History_QaSignOffQueuesBehindLimitedCapacity()
    {
        var history = await SimulatedHistory.CreateAsync(new SimulationOptions { Seed = 5, Days = 90 });
        var created = history.OfType("ticket.created").ToDictionary(e => e.SubjectId, e => e.Timestamp);

        var waits = history.OfType("ticket.closed").Select(e => (e.Timestamp - created[e.SubjectId]).TotalHours).Order().ToList();

        Assert.True(waits.Count > 300, $"only {waits.Count} sign-offs");
        var median = waits[waits.Count / 2];
        Assert.InRange(median, 2, 72); // hours: a queue, yet one that drains
    }
}

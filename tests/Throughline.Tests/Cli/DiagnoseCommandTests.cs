using System.Text.Json;
using Throughline.Simulation;

namespace Throughline.Tests.Cli;

/// <summary>
/// The issue's bar, end to end through the commands a user runs: a simulated organisation with an injected review bottleneck and a
/// team signing off its own changes, stored with <c>ingest</c>, then <c>diagnose</c>.
/// </summary>
public sealed class DiagnoseCommandTests : IAsyncLifetime
{
    private const string Window = "2026-01-05";
    private const string WindowEnd = "2026-03-06";
    private SimulatedFolder _organisation = default!;

    private string PathOf(string name) => _organisation.PathOf(name);

    private string Database => _organisation.Database;

    public async ValueTask InitializeAsync() => _organisation = await SimulatedFolder.CreateAsync("throughline-diagnose-", "--days", "60", "--bottleneck", "review=6", "--self-approving-team", "storefront");

    public ValueTask DisposeAsync() => _organisation.DisposeAsync();

    private Task<CliRun> DiagnoseAsync(params string[] more) =>
        CliRun.RunAsync(["diagnose", "--db", Database, "--model", PathOf("m.yaml"), "--from", Window, "--to", WindowEnd, .. more]);

    [Fact]
    public async Task Diagnose_InjectedBottleneckAndSelfApproval_RanksHalveReviewFirst_ListsTheApprovals_ShowsEverySign()
    {
        var text = await DiagnoseAsync();
        var json = await DiagnoseAsync("--format", "json");

        Assert.True(text.ExitCode == 0, text.Error);
        var lines = text.Output.Split('\n');
        var first = Assert.Single(lines, l => l.StartsWith("   1. ", StringComparison.Ordinal));
        Assert.StartsWith("   1. halve review waiting: median lead time ", first, StringComparison.Ordinal);
        Assert.Contains("faster", first, StringComparison.Ordinal);
        Assert.Contains("throughline diagnose: done in", text.Error, StringComparison.Ordinal);

        var truth = SimulationTruth.Parse(await File.ReadAllTextAsync(PathOf("h.truth.json"), TestContext.Current.CancellationToken));
        using var document = JsonDocument.Parse(json.Output);
        var diagnosis = document.RootElement;
        var top = diagnosis.GetProperty("whatIf").GetProperty("scenarios")[0];
        Assert.Equal(("halve review waiting", "review"), (top.GetProperty("name").GetString(), top.GetProperty("stage").GetString()));
        Assert.True(top.GetProperty("prediction").GetProperty("medianHours").GetDouble() < diagnosis.GetProperty("whatIf").GetProperty("baseline").GetProperty("medianHours").GetDouble());
        Assert.Contains($"Approvals outside the approving responsibility: {truth.SelfApproval!.Approvals.Count:N0}", text.Output, StringComparison.Ordinal);
        var approvals = diagnosis.GetProperty("drift").GetProperty("outsideApprovals").EnumerateArray().ToList();
        Assert.Equal(truth.SelfApproval.Approvals.Select(a => a.Change).Order(StringComparer.Ordinal), approvals.Select(a => a.GetProperty("change").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(approvals, a => Assert.Equal(("storefront", "qa"), (a.GetProperty("actorTeam").GetString(), a.GetProperty("ownerTeam").GetString())));
        var signs = diagnosis.GetProperty("warningSigns").GetProperty("signs").EnumerateArray().ToList();
        Assert.Equal(
            ["status-unknown", "no-end-to-end", "tools-without-integration", "rollbacks-need-people", "slow-onboarding", "blame-at-handoffs", "recurring-causes"],
            signs.Select(s => s.GetProperty("id").GetString()));
        Assert.All(signs, s => Assert.Equal(JsonValueKind.Number, s.GetProperty("value").ValueKind));
        Assert.All(signs, s => Assert.Contains($"  {s.GetProperty("title").GetString()}: ", text.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnose_SameSeed_SameBytes()
    {
        var one = await DiagnoseAsync("--format", "json", "--trials", "300", "--seed", "5");
        var two = await DiagnoseAsync("--format", "json", "--trials", "300", "--seed", "5");

        Assert.Equal(0, one.ExitCode);
        Assert.Equal(one.Output, two.Output);
    }

    [Theory]
    [InlineData("--trials", "0", "throughline diagnose: --trials 0: expected 1 to 100,000")]
    [InlineData("--service", "chekout", "throughline diagnose: unknown service 'chekout'")]
    public async Task Diagnose_BadOption_Exit2NamingIt(string option, string value, string message)
    {
        var run = await DiagnoseAsync(option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}

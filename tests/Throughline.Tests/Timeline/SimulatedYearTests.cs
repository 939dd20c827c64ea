using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Throughline.Metrics;
using Throughline.Simulation;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>
/// A year of the simulated organisation, correlated through the server's projection: its timeline digest and every
/// metric answer (DORA and flow, for the organisation, each team and each service, the year and each quarter) pinned in
/// Snapshots/simulated-year.txt. A change meant to leave every answer alone (a refactoring) must leave this file alone.
/// </summary>
public sealed class SimulatedYearTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SimulatedYear_DigestAndEveryMetric_AsPinned()
    {
        var options = new SimulationOptions { Seed = 1, Days = 365 };
        var model = Simulated.Model(options);
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        await store.AppendAsync(await Simulated.EventsAsync(options, Cancel), options.Start, Cancel);
        var projection = new TimelineProjection(store, model, TimeProvider.System);
        await projection.CatchUpAsync(Cancel);
        var snapshot = projection.Current;

        var lines = new StringBuilder();
        lines.Append($"digest {TimelineDigest.Compute(snapshot)}\n");
        lines.Append($"changes {snapshot.Changes.Count}, deployments {snapshot.Deployments.Count}, incidents {snapshot.Incidents.Count}\n");
        var scopes = new List<(string Name, string? Team, string? Service)> { ("organisation", null, null) };
        scopes.AddRange(model.Teams.Select(t => ($"team {t.Id}", (string?)t.Id, (string?)null)));
        scopes.AddRange(model.Services.Select(s => ($"service {s.Id}", (string?)null, (string?)s.Id)));
        var windows = new List<(DateTimeOffset From, DateTimeOffset To)> { (options.Start, options.Start.AddDays(options.Days)) };
        windows.AddRange(Enumerable.Range(0, 4).Select(q => (options.Start.AddDays(91 * q), options.Start.AddDays(91 * (q + 1)))));
        foreach (var (from, to) in windows)
        {
            foreach (var (name, team, service) in scopes)
            {
                var query = new MetricsQuery(from, to, service, team);
                var dora = MetricsAnswers.Dora(snapshot, model, query, "week", bands: true, projection.Unmapped);
                var flow = MetricsAnswers.Flow(snapshot, model, query, projection.Unmapped);
                lines.Append($"{from:yyyy-MM-dd}..{to:yyyy-MM-dd} {name}: deployments {dora.DeploymentFrequency.Deployments}, lead time median {dora.ChangeLeadTime.MedianHours:0.###} h, ");
                lines.Append($"flow efficiency {flow.Efficiency.Overall:0.####}; dora {Hash(dora)}, flow {Hash(flow)}\n");
            }
        }

        Snapshot.Match("simulated-year.txt", lines.ToString());
    }

    private static string Hash<T>(T answer) => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(answer, Json)))[..16];
}

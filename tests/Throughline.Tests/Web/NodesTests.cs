using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Simulation;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>Several <c>serve</c> processes on one PostgreSQL database under load, one of them killed: one answer.</summary>
public sealed class NodesTests
{
    private static readonly SimulationOptions Organisation = new() { Seed = 5, Days = 20, ChangesPerDay = 30, Services = 4, Teams = 3 };
    private const string Question = "/api/metrics/dora?from=2026-01-05&to=2026-01-25";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeNodes_OneKilledUnderLoad_SurvivorsAnswerAsOneFreshNode()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        var folder = Directory.CreateTempSubdirectory("throughline-nodes-").FullName;
        try
        {
            var model = Path.Combine(folder, "model.yaml");
            await File.WriteAllTextAsync(model, ModelWriter.Write(SimulatedOrganisation.Create(Organisation), Organisation), Cancel);
            var events = await Simulated.EventsAsync(Organisation, Cancel);
            var nodes = new List<ServerProcess>();
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    nodes.Add(await ServerProcess.StartAsync("serve", "--db", database.Database, "--model", model, "--urls", "http://127.0.0.1:0"));
                }

                var token = nodes[0].Token ?? throw new InvalidOperationException("the first node printed no admin token");
                nodes.ForEach(n => n.UseToken(token));

                // The load: batches of 100 sent round robin, three at a time; a third of the way in, node 3 is killed, and a
                // batch it did not answer goes to the next node (a retry the store de-duplicates).
                var batches = events.Chunk(100).ToList();
                var killAfter = batches.Count / 3;
                var sent = 0;
                var alive = nodes.ToList();
                foreach (var group in batches.Chunk(3))
                {
                    await Task.WhenAll(group.Select((batch, i) => PostAsync(alive, (sent + i) % alive.Count, batch)));
                    sent += group.Length;
                    if (sent >= killAfter && alive.Count == 3)
                    {
                        await nodes[2].KillAsync();
                        alive.Remove(nodes[2]);
                    }
                }

                var total = events.Select(e => (e.Source, e.Id)).Distinct().Count();
                var survivors = await Task.WhenAll(alive.Select(n => CaughtUpAsync(n.Client, total)));
                await using var fresh = await RunningServer.StartWithModelFileAsync(database.Database, model);
                var single = await CaughtUpAsync(fresh.Client, total);

                Assert.Equal(2, survivors.Length);
                Assert.All(survivors, s => Assert.Equal(single.Digest, s.Digest));
                Assert.All(survivors, s => Assert.Equal(single.Dora, s.Dora));
                Assert.True(single.Changes > 400, $"{single.Changes} changes: the organisation is too small to mean anything");
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Posts <paramref name="batch"/> to the node at <paramref name="first"/>, else to each next one, until one stores it.</summary>
    private static async Task PostAsync(IReadOnlyList<ServerProcess> nodes, int first, EventDraft[] batch)
    {
        var body = "[" + string.Join(",", batch.Select(e => e.Payload)) + "]";
        for (var attempt = 0; attempt < nodes.Count * 2; attempt++)
        {
            try
            {
                using var response = await nodes[(first + attempt) % nodes.Count].Client.PostAsync(
                    "/api/events", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // A killed node: the next one takes the batch.
            }
        }

        throw new InvalidOperationException("no node stored a batch");
    }

    private sealed record Answer(string Digest, int Changes, string Dora);

    /// <summary>The node's answers once its timeline holds all <paramref name="total"/> events.</summary>
    private static async Task<Answer> CaughtUpAsync(HttpClient client, int total)
    {
        var newest = (await client.GetFromJsonAsync<JsonElement>("/api/events?limit=1", Cancel)).GetProperty("items")[0].GetProperty("sequence").GetInt64();
        var timeline = await Eventually.HoldsAsync(
            $"the node's timeline to read all {total} events, up to sequence {newest}",
            token => client.GetFromJsonAsync<JsonElement>("/api/timeline", token),
            t => t.GetProperty("eventsRead").GetInt64() == total && t.GetProperty("watermark").GetInt64() == newest,
            TimeSpan.FromSeconds(60));
        var dora = await client.GetFromJsonAsync<JsonElement>(Question, Cancel);
        return new Answer(timeline.GetProperty("digest").GetString()!, timeline.GetProperty("changes").GetInt32(), dora.ToString());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Throughline.Model;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Metrics;

/// <summary>The team's hand-worked example (TestData/dora): 29 events, one service, the expected numbers.</summary>
public sealed class DoraWorkedExampleTests
{
    private const string Window = "from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static OperatingModel Model() => OperatingModelLoader.LoadFile(Some.TestDataPath("dora/dora-worked-example.yaml")).Model!;

    private static string[] Lines() => File.ReadAllLines(Some.TestDataPath("dora/dora-worked-example.jsonl")).Where(l => l.Length > 0).ToArray();

    public static TheoryData<string, string> Orders()
    {
        var data = new TheoryData<string, string>();
        foreach (var provider in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            data.Add(provider, "in order");
            data.Add(provider, "reversed");
            data.Add(provider, "shuffled with duplicates");
        }

        return data;
    }

    private static IEnumerable<string[]> Batches(string order)
    {
        var lines = Lines();
        return order switch
        {
            "in order" => [lines],
            "reversed" => lines.Reverse().Chunk(4),
            _ => Shuffled(lines.Concat(lines.Where((_, i) => i % 3 == 0))).Chunk(5),
        };
    }

    private static List<string> Shuffled(IEnumerable<string> lines)
    {
        var random = new Random(29);
        return [.. lines.OrderBy(_ => random.Next())];
    }

    private static async Task<JsonObject> DoraAsync(RunningServer server)
    {
        await TimelineCatchUp.AwaitAsync(server);
        return (await server.Client.GetFromJsonAsync<JsonObject>($"/api/metrics/dora?{Window}", Cancel))!;
    }

    [Theory, MemberData(nameof(Orders))]
    public async Task Dora_WorkedExample_ExactlyTheExpectedNumbers(string provider, string order)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: Model());
        foreach (var batch in Batches(order))
        {
            using var response = await server.Client.PostAsync("/api/events", new StringContent(string.Join('\n', batch), Encoding.UTF8, "application/x-ndjson"), Cancel);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var answer = await DoraAsync(server);

        var expected = JsonNode.Parse(File.ReadAllText(Some.TestDataPath("dora/dora-worked-example.expected.json")))!.AsObject();
        foreach (var (metric, fields) in expected)
        {
            foreach (var (field, value) in fields!.AsObject())
            {
                Assert.True(Math.Abs(value!.GetValue<double>() - answer[metric]![field]!.GetValue<double>()) < 1e-9, $"{metric}.{field}: expected {value}, got {answer[metric]![field]}");
            }
        }

        Assert.Equal(4, answer["deploymentFrequency"]!["deploymentDays"]!.GetValue<int>());
        Assert.Equal("INC-3", answer["quality"]!["unattributedIncidents"]![0]!["incident"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_Json_EqualsTheApiAnswer()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        JsonObject api;
        await using (var server = await RunningServer.StartAsync(database.Database, model: Model()))
        {
            using var response = await server.Client.PostAsync("/api/events", new StringContent(string.Join('\n', Lines()), Encoding.UTF8, "application/x-ndjson"), Cancel);
            await DoraAsync(server);
            api = (await server.Client.GetFromJsonAsync<JsonObject>($"/api/metrics/dora?{Window}&bands=2024", Cancel))!;
        }

        var run = await CliRun.RunAsync("report", "--db", database.Database, "--model", Some.TestDataPath("dora/dora-worked-example.yaml"),
            "--from", "2026-03-01T00:00:00Z", "--to", "2026-03-08T00:00:00Z", "--format", "json");
        var table = await CliRun.RunAsync("report", "--db", database.Database, "--model", Some.TestDataPath("dora/dora-worked-example.yaml"), "--from", "2026-03-01", "--to", "2026-03-08");
        var csv = await CliRun.RunAsync("report", "--db", database.Database, "--from", "2026-03-01", "--to", "2026-03-08", "--format", "csv");

        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonNode.Parse(run.Output)!["dora"]!;
        Assert.Equal(api.ToJsonString(), report.ToJsonString());
        Assert.Contains("change failure rate                                40 %  2 failed of 5", table.Output, StringComparison.Ordinal);
        Assert.Contains("24.5 h  p75 34.5 h, p90 51.6 h, 4 changes", table.Output, StringComparison.Ordinal);
        Assert.Contains("INC-3: the latest production deployment of checkout (worked-18) was 53 h before detection", table.Output, StringComparison.Ordinal);
        Assert.Contains("dora,changeLeadTime.medianHours,24.5,4 changes", csv.Output, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>The OpenAPI document and the command-line help are contracts scripts rely on: changes must be deliberate.</summary>
public sealed class ContractSnapshotTests
{
    [Fact]
    public async Task OpenApiDocument_MatchesSnapshot()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var document = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!.AsObject();
        document.Remove("servers"); // the test server's random port

        Snapshot.Match("openapi.json", document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public async Task Help_EveryVerb_MatchesSnapshot()
    {
        var help = new List<string>();
        foreach (var verb in new[] { "", "demo", "serve", "validate", "ingest", "emit", "simulate", "replay", "rebuild", "report", "import", "import git", "import github-export" })
        {
            var run = await CliRun.RunAsync(verb.Length == 0 ? ["--help"] : [.. verb.Split(' '), "--help"]);
            help.Add($"$ throughline {verb} --help".Replace("  ", " ", StringComparison.Ordinal) + "\n" + run.Output);
        }

        Snapshot.Match("help.txt", string.Join("\n", help));
    }
}

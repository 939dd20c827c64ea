using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Tests.Support;
using Throughline.Tests.Timeline;

namespace Throughline.Tests.Cli;

/// <summary><c>import github-export</c> on files built from the webhook fixtures (TestData/github-export/PROVENANCE.md).</summary>
public sealed class GitHubExportImportTests : IDisposable
{
    private const string MergedChange = "anbraten/test-ready-release-go#62";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("throughline-github-export-");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Delete(recursive: true);

    private static string Export(string name) => Some.TestDataPath("github-export/" + name);

    private static readonly string[] AllFiles =
        ["pulls.json", "deployments.json", "deployment-145988745-statuses.json", "deployment-145988746-statuses.json", "releases.json"];

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Task<CliRun> ImportAsync(TestDatabase database, params string[] files) =>
        CliRun.RunAsync(["import", "github-export", "--db", database.Database, "--model", Write("throughline.yaml", Hooks.ModelYaml), .. files]);

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_Twice_SecondStoresNothingNew(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        var first = await ImportAsync(database, [.. AllFiles.Select(Export)]);
        var second = await ImportAsync(database, [.. AllFiles.Select(Export)]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Stored 6 new events (0 duplicates) of 6", first.Output, StringComparison.Ordinal);
        Assert.Contains("       2 pull requests\n", first.Output, StringComparison.Ordinal);
        Assert.Contains("       2 deployment statuses\n", first.Output, StringComparison.Ordinal);
        Assert.Contains("pulls.json: 2 pull requests", first.Error, StringComparison.Ordinal);
        Assert.Contains("Stored 0 new events (6 duplicates) of 6", second.Output, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        var events = await store.ListNewestAsync(100, Cancel);
        Assert.Equal(6, events.Count);
        Assert.All(events, e => Assert.Equal(("/hooks/github", "cli"), (e.Event.Source, e.Event.Origin)));
        Assert.Equal(
            ["change.created", "change.created", "change.merged", "git-release.published", "service.deployed", "service.deployed"],
            events.Select(e => e.Event.Type.Split('.')[2] + "." + e.Event.Type.Split('.')[3]).Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportThenWebhooks_EachChangeOnce_LeadTimeAsFromWebhooksAlone(string provider)
    {
        await using var both = await TestDatabase.CreateAsync(provider);
        await using var hooksOnly = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(both.Database, model: Hooks.Model());
        await using var hooksServer = await RunningServer.StartAsync(hooksOnly.Database, model: Hooks.Model());

        var run = await ImportAsync(both, [.. AllFiles.Select(Export)]);
        await PostSameHistoryAsync(server);
        await PostSameHistoryAsync(hooksServer);

        Assert.True(run.ExitCode == 0, run.Error);
        var fromBoth = await ChangesApiTests.ChangeAsync(server, MergedChange);
        var fromHooks = await ChangesApiTests.ChangeAsync(hooksServer, MergedChange);
        Assert.Equal(DateTimeOffset.Parse("2023-12-05T18:13:16Z"), fromBoth.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2023-12-05T18:34:19Z"), fromBoth.GetProperty("mergedAt").GetDateTimeOffset());
        Assert.Equal(fromHooks.GetProperty("leadTimeHours").GetDouble(), fromBoth.GetProperty("leadTimeHours").GetDouble());
        Assert.Equal((DateTimeOffset.Parse("2023-12-06T09:05:00Z") - DateTimeOffset.Parse("2023-12-05T18:13:16Z")).TotalHours,
            fromBoth.GetProperty("leadTimeHours").GetDouble(), 6);
        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/changes?limit=1000", Cancel);
        var ids = list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(["Codertocat/Hello-World#2", MergedChange], ids.Order(StringComparer.Ordinal));
        // A deployment's event is named after its deployment status on both ways: received twice, it is stored and counted once.
        Assert.Equal((2, 2), (await DeploymentsAsync(hooksServer), await DeploymentsAsync(server)));
    }

    private static async Task<int> DeploymentsAsync(RunningServer server)
    {
        var dora = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?from=2023-11-01&to=2024-01-01", Cancel);
        return dora.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32();
    }

    [Fact]
    public async Task Import_ExportOnly_LeadTimeAsFromWebhooks()
    {
        await using var exported = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var hooked = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var run = await ImportAsync(exported, [.. AllFiles.Select(Export)]);
        await using var server = await RunningServer.StartAsync(exported.Database, model: Hooks.Model());
        await using var hooksServer = await RunningServer.StartAsync(hooked.Database, model: Hooks.Model());
        await PostSameHistoryAsync(hooksServer);

        var fromExport = await ChangesApiTests.ChangeAsync(server, MergedChange);
        var fromHooks = await ChangesApiTests.ChangeAsync(hooksServer, MergedChange);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("delivered", fromExport.GetProperty("state").GetString());
        Assert.Equal(fromHooks.GetProperty("leadTimeHours").GetDouble(), fromExport.GetProperty("leadTimeHours").GetDouble());
    }

    [Fact]
    public async Task Import_NotArraysOrMixedKinds_Exit1NamesTheFileAndStoresNothing()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var single = Write("single.json", """{"number": 1, "head": {}, "base": {}}""");
        var mixed = Write("mixed.json", File.ReadAllText(Export("pulls.json")).TrimEnd() + File.ReadAllText(Export("releases.json")));
        var notJson = Write("broken.json", "[{\"tag_name\": ");

        var one = await ImportAsync(database, Export("pulls.json"), single);
        var two = await ImportAsync(database, mixed);
        var three = await ImportAsync(database, notJson);

        Assert.Equal(1, one.ExitCode);
        Assert.Contains($"{single}: expected JSON arrays of objects, as gh api --paginate writes them", one.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", one.Error, StringComparison.Ordinal);
        Assert.Equal(1, two.ExitCode);
        Assert.Contains($"{mixed}: object 3 is not a pull request (number, head, base)", two.Error, StringComparison.Ordinal);
        Assert.Equal(1, three.ExitCode);
        Assert.Contains($"{notJson}: not JSON", three.Error, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(0, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task Import_StatusesWithoutTheirDeployments_SkippedWithTheReason()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var run = await ImportAsync(database, Export("deployment-145988746-statuses.json"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 objects gave no event:", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 a deployment status whose deployment is in none of the files given (give its deployments file too)", run.Output, StringComparison.Ordinal);
        Assert.Contains("Stored 0 new events", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The history of the export as GitHub's webhooks deliver it, each delivery with its own id.</summary>
    private static async Task PostSameHistoryAsync(RunningServer server)
    {
        var merged = JsonNode.Parse(Hooks.Fixture("github/pull_request/HookPullRequestMerged.json"))!.AsObject();
        var opened = merged.DeepClone().AsObject();
        opened["action"] = "opened";
        await PostAsync(server, "pull_request", opened);
        await Hooks.PostGitHubAsync(server, "pull_request/HookPullRequestMerged.json", Guid.NewGuid().ToString());
        await Hooks.PostGitHubAsync(server, "pull_request/opened.payload.json", Guid.NewGuid().ToString());
        var deployments = JsonNode.Parse(File.ReadAllText(Export("deployments.json")))!.AsArray();
        foreach (var deployment in deployments)
        {
            var id = deployment!["id"]!.GetValue<long>();
            var status = JsonNode.Parse(File.ReadAllText(Export($"deployment-{id}-statuses.json")))!.AsArray()[0]!;
            await PostAsync(server, "deployment_status", new JsonObject
            {
                ["action"] = "created",
                ["deployment_status"] = status.DeepClone(),
                ["deployment"] = deployment.DeepClone(),
                ["repository"] = merged["repository"]!.DeepClone(),
            });
        }
    }

    private static Task<JsonElement> PostAsync(RunningServer server, string gitHubEvent, JsonObject body) =>
        Hooks.PostAsync(server, "github", System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()),
            ("X-GitHub-Event", gitHubEvent), ("X-GitHub-Delivery", Guid.NewGuid().ToString()));
}

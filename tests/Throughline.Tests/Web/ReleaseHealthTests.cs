using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Access;
using Throughline.Health;
using Throughline.Model;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Web;

/// <summary>
/// A failed release from end to end on the real server, on both engines: a smoke test fails checkout's new deployment, the rollback
/// holders' webhook (a real local receiver) is told, a person holding the rollback confirms it, the signed rollback call goes out,
/// and only the deployment tool's own event closes it; the board, the health answer, the gauges and the audit log tell the same story.
/// </summary>
public sealed class ReleaseHealthTests
{
    private const string SecretVariable = "THROUGHLINE_TEST_ROLLBACK_SECRET";
    private const string Secret = "test-rollback-secret";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FailedSmokeTest_Notifies_OneConfirmationCallsTheSignedRollback_AndTheToolsEventClosesIt(string provider)
    {
        await using var scene = await Scene.FailedSmokeTestAsync(provider);
        var (receiver, database, server) = (scene.Receiver, scene.Database, scene.Server);

        var failed = await DeploymentAsync(server, "the verdict to be failed", d => State(d) == "failed");
        var notified = await ReceivedAsync(receiver, "the failure to be notified", c => c.Path == "/notify");
        using var health = await server.Client.GetAsync("/api/health?service=checkout&environment=production&expect=healthy", Cancel);
        var board = await server.Client.GetFromJsonAsync<JsonElement>("/api/board", Cancel);

        Assert.Equal("testsuiterun 'smoke-tests' failed", failed.GetProperty("verdict").GetProperty("reason").GetString());
        Assert.StartsWith("/api/events/", failed.GetProperty("verdict").GetProperty("signals")[0].GetProperty("evidence").GetProperty("link").GetString(), StringComparison.Ordinal);
        var message = JsonNode.Parse(notified.Body)!;
        Assert.Equal("release.failed", (string?)message["type"]);
        Assert.Equal(["ravi", "sam"], message["people"]!.AsArray().Select(p => (string?)p!["id"]).Order().ToArray());
        Assert.Equal(HttpStatusCode.PreconditionFailed, health.StatusCode);
        Assert.Equal("failed", (await health.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("verdict").GetString());
        var column = board.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "checkout");
        Assert.Equal("failed", column.GetProperty("frozen").GetProperty("state").GetString());
        Assert.Contains("waiting for someone holding the rollback (infra)", column.GetProperty("frozen").GetProperty("pending").GetString(), StringComparison.Ordinal);

        // Someone outside infra may not confirm; Ravi (infra) may, once.
        using var outsider = server.ClientWith(await server.CreateTokenAsync(Role.Editor, name: "alice"));
        using var refused = await outsider.PostAsJsonAsync("/api/rollbacks", new { service = "checkout" }, Cancel);
        using var ravi = server.ClientWith(await server.CreateTokenAsync(Role.Editor, name: "ravi"));
        using var confirmed = await ravi.PostAsJsonAsync("/api/rollbacks", new { service = "checkout", environment = "production" }, Cancel);
        var call = await ReceivedAsync(receiver, "the rollback call", c => c.Path == "/rollback/checkout");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, confirmed.StatusCode);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), call.Body)), call.Header("X-Throughline-Signature-256"));
        var body = JsonNode.Parse(call.Body)!;
        Assert.Equal(("checkout", "a1", "a0", "ravi"), ((string?)body["service"], (string?)body["artifact"], (string?)body["to"], (string?)body["requestedBy"]));
        Assert.Equal((string?)body["idempotencyKey"], call.Header("Idempotency-Key"));

        // The call's 200 does not close it: the verdict waits for the tool.
        var rollingBack = await DeploymentAsync(server, "the rollback call to be recorded", d => Actions(d).Any(a => a.GetProperty("kind").GetString() == "rollback.called"));
        Assert.Equal("rolling back", State(rollingBack));

        await PostAsync(server, Deployed("d2", "a0", DateTimeOffset.UtcNow, predicate: "rolledback"));
        var done = await DeploymentAsync(server, "the verdict to be rolled back", d => State(d) == "rolled back");
        await ReceivedAsync(receiver, "the rollback to be notified as done", c => c.Path == "/notify" && (string?)JsonNode.Parse(c.Body)!["type"] == "rollback.done");
        var audit = await server.Client.GetFromJsonAsync<JsonElement>("/api/audit?limit=100", Cancel);
        var metrics = await server.Client.GetStringAsync("/metrics", Cancel);

        Assert.Equal(
            ["verifying", "failed", "rolling back", "rolled back"],
            done.GetProperty("verdict").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("state").GetString()).ToArray());
        Assert.Single(receiver.Calls, c => c.Path == "/rollback/checkout");
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => (Action: a.GetProperty("action").GetString(), Actor: a.GetProperty("actor").GetString())).ToList();
        Assert.EndsWith("(ravi)", actions.Single(a => a.Action == "rollback.requested").Actor, StringComparison.Ordinal);
        Assert.Contains(actions, a => a.Action == "rollback.called");
        Assert.Contains("throughline_release_verdict{service=\"checkout\",environment=\"production\",state=\"rolled back\"} 1", metrics, StringComparison.Ordinal);

        // Rebuilt from the stored events alone, as `throughline rebuild` does, the verdict is the same story.
        await using var store = await database.OpenStoreAsync();
        var rebuilt = new TimelineProjection(store, server.Services.GetRequiredService<Throughline.Web.ModelReload.ModelInForce>().Current.Model, TimeProvider.System);
        await rebuilt.CatchUpAsync(Cancel);
        var deployment = rebuilt.Current.Deployments.Single(d => d.Id == "d1");
        var verdict = ReleaseVerdicts.Of(deployment, [.. rebuilt.Current.Incidents.Where(i => i.DeploymentKey == deployment.Key)], rebuilt.Model, DateTimeOffset.UtcNow)!;
        Assert.Equal(
            done.GetProperty("verdict").GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("state").GetString(), s.GetProperty("at").GetDateTimeOffset())).ToArray(),
            verdict.Steps.Select(s => ((string?)s.State, s.At)).ToArray());
    }

    [Fact]
    public async Task FailureAlreadyRolledBackWhenSeen_NotifiesNobody()
    {
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, model: ModelFor(receiver));
        var now = DateTimeOffset.UtcNow;

        await PostAsync(server, Deployed("d0", "a0", now.AddHours(-2)), Deployed("d1", "a1", now.AddMinutes(-30)),
            SmokeTest("s1", "failure", now.AddMinutes(-28)), Deployed("d2", "a0", now.AddMinutes(-20), predicate: "rolledback"));
        await TimelineCatchUp.AwaitAsync(server);
        await server.Services.GetRequiredService<Throughline.Web.ReleaseApi.ReleaseWatcher>().RoundAsync(Cancel);

        Assert.Equal("rolled back", State(await DeploymentAsync(server, "the verdict", _ => true)));
        Assert.Empty(receiver.Calls);
    }

    [Fact]
    public async Task RollbackVerb_ConfirmsForAPersonHoldingTheRollback_AndRefusesAnyoneElseWithTheReason()
    {
        await using var scene = await Scene.FailedSmokeTestAsync(TestDatabase.Sqlite);
        var (receiver, database, server) = (scene.Receiver, scene.Database, scene.Server);
        await DeploymentAsync(server, "the verdict to be failed", d => State(d) == "failed");

        var alice = await Throughline.Tests.Cli.CliRun.RunAsync(
            "rollback", "checkout", "--server", server.Address.ToString(), "--token", await server.CreateTokenAsync(Role.Editor, name: "alice"));
        var ravi = await Throughline.Tests.Cli.CliRun.RunAsync(
            "rollback", "checkout", "--server", server.Address.ToString(), "--environment", "production", "--to", "a0",
            "--token", await server.CreateTokenAsync(Role.Editor, name: "ravi"));
        var call = await ReceivedAsync(receiver, "the rollback call", c => c.Path == "/rollback/checkout");

        Assert.Equal(1, alice.ExitCode);
        Assert.Contains("answered 403 Forbidden", alice.Error, StringComparison.Ordinal);
        Assert.Contains("does not hold the rollback of checkout (held by infra)", alice.Error, StringComparison.Ordinal);
        Assert.True(ravi.ExitCode == 0, ravi.Error);
        Assert.Contains("Rollback of checkout requested: ravi confirmed the rollback to a0.", ravi.Output, StringComparison.Ordinal);
        Assert.Contains("/deployments/d1?source=%2Fargocd%2Fproduction", ravi.Output, StringComparison.Ordinal);
        Assert.Equal("a0", (string?)JsonNode.Parse(call.Body)!["to"]);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RollbackActionToAnInternalAddress_NotAllowed_IsRefusedAndRecorded(string provider)
    {
        await using var scene = await Scene.FailedSmokeTestAsync(provider, allowHosts: "[]", automatic: true);
        var (receiver, database, server) = (scene.Receiver, scene.Database, scene.Server);

        var detail = await DeploymentAsync(server, "the rollback call to be recorded", d => Actions(d).Any(a => a.GetProperty("kind").GetString() == "rollback.called"));
        var called = Actions(detail).First(a => a.GetProperty("kind").GetString() == "rollback.called");

        Assert.Equal("failure", called.GetProperty("outcome").GetString());
        Assert.Contains("health.rollback.action.allow-hosts", called.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("policy", Actions(detail).First(a => a.GetProperty("kind").GetString() == "rollback.requested").GetProperty("actor").GetString());
        Assert.Empty(receiver.Calls);
        Assert.Equal(0, receiver.Connections);
    }

    [Fact]
    public async Task Pages_FailedRelease_BoardShowsTheFreeze_DeploymentPageTellsTheStory_AndItsButtonRollsBack()
    {
        await using var scene = await Scene.FailedSmokeTestAsync(TestDatabase.Sqlite);
        var (receiver, database, server) = (scene.Receiver, scene.Database, scene.Server);
        await DeploymentAsync(server, "the verdict to be failed", d => State(d) == "failed");
        await ReceivedAsync(receiver, "the failure to be notified", c => c.Path == "/notify");
        await using var browser = await Browser.LaunchAsync();
        browser.Token = await server.CreateTokenAsync(Role.Editor, name: "ravi");
        var (page, errors) = await browser.OpenAsync();

        await page.GotoAsync(new Uri(server.Address, "/").ToString());
        var freeze = await page.Locator("[data-service='checkout'] .frozen").InnerTextAsync();
        await page.Locator("[data-service='checkout'] .releases a.badge.failed").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/deployments/d1", StringComparison.Ordinal));
        var story = await page.Locator("main").InnerTextAsync();
        var evidence = await page.Locator("main a[href^='/api/events/']").CountAsync();
        await Browser.ScreenshotAsync(page, "deployment-failed");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Confirm the rollback" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        var note = await page.Locator("main .note").InnerTextAsync();
        var call = await ReceivedAsync(receiver, "the rollback call", c => c.Path == "/rollback/checkout");

        Assert.Contains("Frozen: failed", freeze, StringComparison.Ordinal);
        Assert.Contains("waiting for someone holding the rollback (infra)", freeze, StringComparison.Ordinal);
        Assert.Contains("testsuiterun 'smoke-tests' failed", story, StringComparison.Ordinal);
        Assert.Contains("infra holds its rollback (ravi)", story, StringComparison.Ordinal);
        Assert.Contains("release.failed: told infra: ravi; sre: sam", story, StringComparison.Ordinal);
        Assert.True(evidence >= 2, $"{evidence} links to stored events");
        Assert.Contains("Rollback requested: ravi confirmed the rollback.", note, StringComparison.Ordinal);
        Assert.Equal("ravi", (string?)JsonNode.Parse(call.Body)!["requestedBy"]);
        Assert.Empty(errors);
    }

    /// <summary>A receiver for the webhooks, a server on a new database whose model points at it, and checkout's a1 deployed three
    /// minutes ago after a0, its smoke tests failed a minute ago.</summary>
    private sealed class Scene(WebhookReceiver receiver, TestDatabase database, RunningServer server) : IAsyncDisposable
    {
        public WebhookReceiver Receiver => receiver;

        public TestDatabase Database => database;

        public RunningServer Server => server;

        public static async Task<Scene> FailedSmokeTestAsync(string provider, string allowHosts = "[127.0.0.1]", bool automatic = false)
        {
            Environment.SetEnvironmentVariable(SecretVariable, Secret);
            var receiver = await WebhookReceiver.StartAsync();
            var database = await TestDatabase.CreateAsync(provider);
            var server = await RunningServer.StartAsync(database.Database, model: ModelFor(receiver, allowHosts, automatic));
            var now = DateTimeOffset.UtcNow;
            await PostAsync(server, Deployed("d0", "a0", now.AddHours(-2)), Deployed("d1", "a1", now.AddMinutes(-3)), SmokeTest("s1", "failure", now.AddMinutes(-1)));
            return new Scene(receiver, database, server);
        }

        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            await database.DisposeAsync();
            await receiver.DisposeAsync();
        }
    }

    /// <summary>Deployment d1 as the API shows it, once <paramref name="holds"/> (a 404 while the timeline catches up is looked at again).</summary>
    private static Task<JsonElement> DeploymentAsync(RunningServer server, string awaited, Func<JsonElement, bool> holds) =>
        Eventually.HoldsAsync(awaited, async token =>
        {
            using var response = await server.Client.GetAsync("/api/deployments/d1?source=/argocd/production", token);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(token) : default;
        }, detail => detail.ValueKind == JsonValueKind.Object && holds(detail));

    private static async Task<ReceivedCall> ReceivedAsync(WebhookReceiver receiver, string awaited, Func<ReceivedCall, bool> holds) =>
        (await Eventually.HoldsAsync(awaited, _ => Task.FromResult(receiver.Calls.FirstOrDefault(holds)), call => call is not null))!;

    private static string? State(JsonElement detail) => detail.GetProperty("verdict").GetProperty("state").GetString();

    private static IEnumerable<JsonElement> Actions(JsonElement detail) => detail.GetProperty("verdict").GetProperty("actions").EnumerateArray();

    private static OperatingModel ModelFor(WebhookReceiver receiver, string allowHosts = "[127.0.0.1]", bool automatic = false) =>
        OperatingModelLoader.LoadText($$"""
            version: 1
            organization: Test
            teams: [{id: web}, {id: infra, contact: "#infra"}, {id: sre}]
            people:
              - {id: alice, team: web, identities: [github:alice]}
              - {id: ravi, team: infra, identities: [github:ravi, "sso:ravi@example.com"]}
              - {id: sam, team: sre, identities: [github:sam]}
            environments: [{id: production, production: true}]
            services: [{id: checkout, owner: web, repositories: [acme/checkout]}]
            responsibilities: {deploy-production: infra, rollback: infra, incident-response: sre}
            flow:
              - {id: review, owner: service-owner, starts: change.created, ends: change.merged}
              - {id: production, owner: responsibilities.deploy-production, ends: service.deployed environment=production}
            health:
              verification-window: 30m
              signals: {checks: [smoke-tests]}
              rollback:
                automatic: {{(automatic ? "true" : "false")}}
                notify: {webhook: "{{receiver.At("notify")}}", format: json}
                action:
                  webhook: "{{receiver.At("rollback/{service}")}}"
                  secret: ${{{SecretVariable}}}
                  timeout: 5s
                  retries: 1
                  allow-hosts: {{allowHosts}}
            """, "release-health.yaml", new ModelLoadOptions { ReadSecrets = true }).Model ?? throw new InvalidOperationException("invalid test model");

    private static async Task PostAsync(RunningServer server, params JsonObject[] events)
    {
        using var response = await server.Client.PostAsync(
            "/api/events", new StringContent(new JsonArray([.. events]).ToJsonString(), Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static JsonObject Deployed(string id, string artifact, DateTimeOffset at, string predicate = "deployed") => CdEvent(
        id, "/argocd/production", $"dev.cdevents.service.{predicate}.0.2.0", "checkout", at,
        new JsonObject { ["environment"] = new JsonObject { ["id"] = "production" }, ["artifactId"] = artifact });

    private static JsonObject SmokeTest(string id, string outcome, DateTimeOffset at) => CdEvent(
        id, "/actions", "dev.cdevents.testsuiterun.finished.0.2.0", id, at,
        new JsonObject
        {
            ["environment"] = new JsonObject { ["id"] = "production" },
            ["testSuite"] = new JsonObject { ["id"] = "smoke", ["name"] = "smoke-tests" },
            ["outcome"] = outcome,
        },
        new JsonObject { ["service"] = "checkout", ["artifactId"] = "a1" });

    private static JsonObject CdEvent(string id, string source, string type, string subject, DateTimeOffset at, JsonObject content, JsonObject? custom = null)
    {
        var json = new JsonObject
        {
            ["context"] = new JsonObject
            {
                ["version"] = "0.4.1",
                ["id"] = id,
                ["source"] = source,
                ["type"] = type,
                ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            },
            ["subject"] = new JsonObject { ["id"] = subject, ["content"] = content },
        };
        if (custom is not null)
        {
            json["customData"] = custom;
        }

        return json;
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Throughline.Simulation;
using Throughline.Tests.Simulation;
using Throughline.Tests.Support;
using Throughline.Web.Demo;

namespace Throughline.Tests.Web;

public sealed class DemoToolsTests
{
    private const string Secret = "the-demo-secret";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rollback_SignedCall_StoresOneRolledBackEventPerIdempotencyKey()
    {
        var (simulator, service, failed, previous) = SimulatorAfterTwoDeployments();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        await using var tools = await StartAsync(simulator, new StringWriter());
        tools.Connect(store);
        using var client = new HttpClient { BaseAddress = tools.Address };
        var body = RollbackBody(service, failed, to: null, "key-1");

        using var unsigned = await PostRollbackAsync(client, service, body, Sign("another-secret", body), "key-1");
        using var accepted = await PostRollbackAsync(client, service, body, Sign(Secret, body), "key-1");
        var call = Assert.Single(tools.Received.Rollbacks);
        var done = await call.Done.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        using var retried = await PostRollbackAsync(client, service, body, Sign(Secret, body), "key-1");
        var stored = await store.ListNewestAsync(10, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Equal(previous, done?.To);
        var rolledBack = Assert.Single(stored).Event;
        Assert.Equal(("/argocd/production", "dev.cdevents.service.rolledback.0.3.0", service), (rolledBack.Source, rolledBack.Type, rolledBack.SubjectId));
        Assert.Contains($"\"artifactId\":\"{previous}\"", rolledBack.Payload, StringComparison.Ordinal);
        Assert.Single(tools.Received.Rollbacks);
    }

    [Fact]
    public async Task Rollback_UnsignedOrMalformed_Refused()
    {
        var (simulator, service, failed, _) = SimulatorAfterTwoDeployments();
        await using var tools = await StartAsync(simulator, new StringWriter());
        using var client = new HttpClient { BaseAddress = tools.Address };
        var body = RollbackBody(service, failed, to: null, "key-1");

        using var noSignature = await PostRollbackAsync(client, service, body, signature: null, "key-1");
        using var notHex = await PostRollbackAsync(client, service, body, "sha256=not-hex", "key-1");
        using var notJson = await PostRollbackAsync(client, service, "{", Sign(Secret, "{"), "key-2");
        using var notConnected = await PostRollbackAsync(client, service, body, Sign(Secret, body), "key-1");

        Assert.Equal(HttpStatusCode.Unauthorized, noSignature.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notHex.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notConnected.StatusCode);
        Assert.Empty(tools.Received.Rollbacks);
    }

    [Fact]
    public async Task Notify_Message_OneLineNamingThePeople()
    {
        var (simulator, _, _, _) = SimulatorAfterTwoDeployments();
        var console = new StringWriter();
        await using var tools = await StartAsync(simulator, console);
        using var client = new HttpClient { BaseAddress = tools.Address };
        const string message = """
            {"type":"release.failed","service":"checkout","environment":"production","reason":"smoke-tests failed",
             "people":[{"id":"ravi","name":"Ravi","contacts":["sso:ravi@acme.example"]},{"id":"sara"},{"contacts":[]}],
             "url":"http://127.0.0.1:5000/deployments/1","unknown":{"kept":true}}
            """;

        using var answer = await client.PostAsync("/notify", new StringContent(message, Encoding.UTF8, "application/json"), Cancel);
        using var notJson = await client.PostAsync("/notify", new StringContent("[1,", Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var received = Assert.Single(tools.Received.Notifications);
        Assert.Equal(message, received.Body);
        const string line = "demo: chat ← release.failed checkout in production (smoke-tests failed); asking Ravi, sara  http://127.0.0.1:5000/deployments/1";
        Assert.Equal(line, received.Line);
        Assert.Equal(line + Environment.NewLine, console.ToString());
    }

    private static Task<DemoTools> StartAsync(HistorySimulator simulator, TextWriter console) =>
        DemoTools.StartAsync(new DemoToolsSettings(simulator, TimeProvider.System, Secret, console) { RollbackTime = TimeSpan.FromMilliseconds(100) }, Cancel);

    /// <summary>A simulator run for a week, with the service whose production artifact changed last, that artifact and the one before.</summary>
    private static (HistorySimulator Simulator, string Service, string Failed, string Previous) SimulatorAfterTwoDeployments()
    {
        var options = new SimulationOptions { Seed = 3, Days = 7 };
        var simulator = new HistorySimulator(options, SimulatedOrganisation.Create(options));
        var production = simulator.RunUntil(options.Start.AddDays(options.Days))
            .Select(e => HistoryEvent.Parse(Encoding.UTF8.GetString(e.Json)))
            .Where(e => e.Text("environment", "id") == "production" && e.Type.StartsWith("dev.cdevents.service.", StringComparison.Ordinal))
            .DistinctBy(e => e.Id)
            .OrderBy(e => e.Timestamp)
            .ToList();
        var last = production[^1];
        var before = production.Last(e => e.SubjectId == last.SubjectId && e.Text("artifactId") != last.Text("artifactId"));
        return (simulator, last.SubjectId, last.Text("artifactId")!, before.Text("artifactId")!);
    }

    private static string RollbackBody(string service, string artifact, string? to, string key) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            action = "rollback",
            service,
            environment = "production",
            deployment = new { id = "d-1", source = "/argocd/production" },
            artifact,
            to,
            requestedBy = "ravi",
            reason = "smoke-tests failed",
            idempotencyKey = key,
        });

    private static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static async Task<HttpResponseMessage> PostRollbackAsync(HttpClient client, string service, string body, string? signature, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/rollback/{service}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(DemoRollbacks.IdempotencyHeader, key);
        if (signature is not null)
        {
            request.Headers.Add(DemoRollbacks.SignatureHeader, signature);
        }

        return await client.SendAsync(request, Cancel);
    }
}

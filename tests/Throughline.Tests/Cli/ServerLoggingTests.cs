using System.Text;
using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

/// <summary>What <c>serve</c> and <c>demo</c> log: nothing per request by default, one line per request at Debug.</summary>
public sealed class ServerLoggingTests
{
    private static readonly string[] Paths = ["/healthz", "/api/events?limit=1&token=not-for-logs", "/", "/no-such-page"];
    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(30);

    // A tool without a secret or token: a delivery to it is refused and logged once, as a Warning.
    private const string Model = """
        version: 1
        organization: Tiny
        teams: [{id: app}]
        environments: [{id: production, production: true}]
        tools: [{id: github, kind: github}]
        services: [{id: web, owner: app, repositories: [tiny/web]}]
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Sends the requests, then a refused webhook delivery, and waits for <paramref name="last"/>, a line logged while
    /// or after that delivery is answered: whatever the requests before it logged is printed by then.
    /// </summary>
    private static async Task<string> RequestThenWaitForAsync(ServerProcess server, string last = "Every delivery to /hooks/github is refused")
    {
        foreach (var path in Paths)
        {
            using var response = await server.Client.GetAsync(path, Cancel);
        }

        using (var refused = await server.Client.PostAsync("/hooks/github", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var line = await server.WaitForOutputAsync(last, LogTimeout);
        Assert.True(line is not null, $"'{last}' was never printed; the server printed:\n{server.OutputSinceListening}");
        return server.Output + server.OutputSinceListening;
    }

    private static void AssertNoRequestLines(string output)
    {
        foreach (var fragment in new[] { "/healthz", "/api/events", "/no-such-page", "GET / ", "Request starting", "Request finished", "Executing endpoint" })
        {
            Assert.DoesNotContain(fragment, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_ByDefault_LogsNoLinePerRequest()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Path.Combine(Path.GetDirectoryName(database.Database)!, "model.yaml");
        await File.WriteAllTextAsync(model, Model, Cancel);
        await using var server = await ServerProcess.StartAsync("serve", "--db", database.Database, "--model", model, "--urls", "http://127.0.0.1:0");

        var output = await RequestThenWaitForAsync(server);

        AssertNoRequestLines(output);
    }

    [Fact]
    public async Task Serve_LogLevelDebug_LogsEachRequestOnceWithoutItsQuery()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Path.Combine(Path.GetDirectoryName(database.Database)!, "model.yaml");
        await File.WriteAllTextAsync(model, Model, Cancel);
        await using var server = await ServerProcess.StartAsync(
            "serve", "--db", database.Database, "--model", model, "--urls", "http://127.0.0.1:0", "--log-level", "debug");

        // The request's own line is written once it is answered, after the warning it caused.
        var output = await RequestThenWaitForAsync(server, "POST /hooks/github answered 401");
        var lines = output.Split('\n');

        Assert.Single(lines, l => l.Contains("GET /healthz answered 200", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("GET /api/events answered 200", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("GET / answered 200", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("GET /no-such-page answered 404", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("POST /hooks/github answered 401", StringComparison.Ordinal));
        Assert.DoesNotContain("not-for-logs", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_ByDefault_PrintsTheOpenLineAndNoLinePerRequest()
    {
        await using var demo = await ServerProcess.StartAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "7");

        var output = await RequestThenWaitForAsync(demo);

        Assert.Contains($"Open {demo.Address.ToString().TrimEnd('/')}", demo.Output, StringComparison.Ordinal);
        AssertNoRequestLines(output);
    }

    [Fact]
    public async Task Demo_LogLevelNone_StillPrintsTheOpenLine()
    {
        await using var demo = await ServerProcess.StartAsync("demo", "--urls", "http://127.0.0.1:0", "--days", "7", "--log-level", "None");

        Assert.Contains($"Open {demo.Address.ToString().TrimEnd('/')}", demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_LogLevelNotALevel_Exit2NamingTheLevels()
    {
        var run = await CliRun.RunAsync("serve", "--log-level", "loud");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--log-level 'loud' is not a level (expected one of: Trace, Debug, Information, Warning, Error, Critical, None)", run.Error, StringComparison.Ordinal);
    }
}

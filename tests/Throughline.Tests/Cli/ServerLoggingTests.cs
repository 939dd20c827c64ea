using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    public async Task Serve_LogLevelTrace_NoQuerySecretInAnyLine()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Path.Combine(Path.GetDirectoryName(database.Database)!, "model.yaml");
        await File.WriteAllTextAsync(model, Model, Cancel);
        await using var server = await ServerProcess.StartAsync(
            "serve", "--db", database.Database, "--model", model, "--urls", "http://127.0.0.1:0", "--log-level", "Trace");
        string[] secrets = ["hook-secret-in-the-query", "tl_sign-in-secret-in-the-query", "api-secret-in-the-query"];

        using (var hook = await server.Client.PostAsync($"/hooks/github?token={secrets[0]}", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, hook.StatusCode);
        }

        using (var signIn = await server.Client.GetAsync($"/sign-in?token={secrets[1]}&return=%2F", Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, signIn.StatusCode); // the link fills the form in; it signs nobody in
        }

        using (var api = await server.Client.GetAsync($"/api/events?limit=1&token={secrets[2]}", Cancel))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, api.StatusCode);
        }

        // ASP.NET's own last line for each request, written with the URL, its query redacted.
        await server.WaitForOutputAsync("/hooks/github?token=redacted - 401", LogTimeout);
        await server.WaitForOutputAsync("/sign-in?token=redacted&return=redacted - 200", LogTimeout);
        await server.WaitForOutputAsync("/api/events?limit=redacted&token=redacted - 200", LogTimeout);
        var output = server.Output + server.OutputSinceListening;

        Assert.Contains("Request starting", output, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_ByDefault_AFloodOfRefusedDeliveries_OneLine()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Path.Combine(Path.GetDirectoryName(database.Database)!, "model.yaml");
        await File.WriteAllTextAsync(model, Model.Replace("tools: [{id: github, kind: github}]", "tools: [{id: github, kind: github}, {id: jenkins, kind: jenkins, token: \"${THROUGHLINE_TEST_FLOOD_TOKEN}\"}]", StringComparison.Ordinal), Cancel);
        Environment.SetEnvironmentVariable("THROUGHLINE_TEST_FLOOD_TOKEN", "the-right-token"); // inherited by the server's process
        await using var server = await ServerProcess.StartAsync("serve", "--db", database.Database, "--model", model, "--urls", "http://127.0.0.1:0");

        for (var i = 0; i < 20; i++)
        {
            using var refused = await server.Client.PostAsync($"/hooks/jenkins?token=wrong-{i}", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);
            // Refused; after 10 wrong credentials in a minute, throttled.
            Assert.Equal(i < 10 ? System.Net.HttpStatusCode.Unauthorized : System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        var output = await RequestThenWaitForAsync(server);

        Assert.Single(output.Split('\n'), l => l.Contains("Delivery to /hooks/jenkins refused", StringComparison.Ordinal));
        AssertNoRequestLines(output);
    }

    [Fact]
    public void Redaction_AnyCategoryAndTheExceptionsItLogs_QueryValuesAndUserInformationTakenOut()
    {
        var captured = new List<string>();
        using var services = new ServiceCollection()
            .AddLogging(logging => Throughline.Web.LogRedaction.AddRedaction(logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new Capture(captured))))
            .BuildServiceProvider();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        logger.LogInformation("Request starting HTTP/1.1 GET {Url} - - -", "http://127.0.0.1:5000/hooks/jira?token=s3cret&x=1");
        logger.LogError(new InvalidOperationException("POST https://user:pa55@deploy.example/rollback?key=k3y failed"), "Rollback failed");

        Assert.Equal("Request starting HTTP/1.1 GET http://127.0.0.1:5000/hooks/jira?token=redacted&x=redacted - - -", captured[0]);
        Assert.Contains("https://redacted@deploy.example/rollback?key=redacted failed", captured[1], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", string.Join('\n', captured), StringComparison.Ordinal);
        Assert.DoesNotContain("pa55", string.Join('\n', captured), StringComparison.Ordinal);
        Assert.DoesNotContain("k3y", string.Join('\n', captured), StringComparison.Ordinal);
    }

    private sealed class Capture(List<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add(formatter(state, exception) + (exception is null ? "" : "\n" + exception));

        public void Dispose()
        {
        }
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

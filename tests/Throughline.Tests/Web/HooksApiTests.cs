using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>POST /hooks/{tool} through the real host: verification, verbatim storage, re-delivery and unmapped deliveries.</summary>
public sealed partial class HooksApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<RunningServer> StartAsync(TestDatabase database, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null) =>
        RunningServer.StartAsync(database.Database, configure, Hooks.Model());

    /// <summary>Posts every fixture of a kind; each new delivery must add at least one item to GET /api/events, except
    /// <paramref name="repeats"/>: fixtures that are an earlier one's object delivered again, whose events are duplicates.</summary>
    private static async Task PostEveryFixtureAsync(RunningServer server, string tool, Func<string, byte[], Task<JsonElement>> post, params string[] repeats)
    {
        var fixtures = Hooks.Fixtures(tool);
        Assert.NotEmpty(fixtures);
        foreach (var fixture in fixtures)
        {
            var before = (await Hooks.EventsAsync(server)).Total;

            var answer = await post(fixture, Hooks.Fixture($"{tool}/{fixture}"));

            Assert.False(answer.GetProperty("duplicate").GetBoolean(), fixture);
            if (repeats.Contains(fixture))
            {
                Assert.Equal((0, before), (answer.GetProperty("accepted").GetInt32(), (await Hooks.EventsAsync(server)).Total));
                continue;
            }

            Assert.True(answer.GetProperty("accepted").GetInt32() >= 1, fixture);
            Assert.True((await Hooks.EventsAsync(server)).Total > before, $"{fixture} added nothing to GET /api/events");
        }
    }

    private static async Task AssertRejectedAsync(RunningServer server, HttpRequestMessage request)
    {
        var before = (await Hooks.EventsAsync(server)).Total;
        var deliveries = await server.Services.GetRequiredService<IEventStore>().CountDeliveriesAsync(Cancel);

        using var response = await server.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, (await Hooks.EventsAsync(server)).Total);
        Assert.Equal(deliveries, await server.Services.GetRequiredService<IEventStore>().CountDeliveriesAsync(Cancel));
    }

    public static TheoryData<string, string, string> TamperCases => new()
    {
        { TestDatabase.Sqlite, "github", "github/push/payload.json" },
        { TestDatabase.Postgres, "github", "github/push/payload.json" },
        { TestDatabase.Sqlite, "gitlab", "gitlab/go-gitlab/push.json" },
        { TestDatabase.Sqlite, "argocd", "argocd/payloads/deployed-upgrade.json" },
        { TestDatabase.Sqlite, "jenkins", "jenkins/completed.json" },
        { TestDatabase.Sqlite, "pagerduty", "pagerduty/v3/triggered_v3.json" },
        { TestDatabase.Postgres, "pagerduty", "pagerduty/v3/triggered_v3.json" },
        { TestDatabase.Sqlite, "opsgenie", "opsgenie/create.json" },
        { TestDatabase.Sqlite, "alertmanager", "alertmanager/firing.json" },
        { TestDatabase.Sqlite, "jira", "jira/issue-created.json" },
    };

    [Theory, MemberData(nameof(TamperCases))]
    public async Task Post_TamperedBodyOrWrongToken_401AndNothingStored(string provider, string tool, string fixture)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        var body = Hooks.Fixture(fixture);
        using var signed = Hooks.Request(tool, body, ("X-GitHub-Event", "push"));
        var tampered = body.ToArray();
        tampered[tampered.Length / 2] ^= 0x01;
        using var tamperedRequest = Hooks.Request(tool, tampered, ("X-GitHub-Event", "push"));
        tamperedRequest.Headers.Remove("X-Hub-Signature-256");
        tamperedRequest.Headers.Remove("X-PagerDuty-Signature");
        foreach (var header in signed.Headers.Where(h => h.Key is "X-Hub-Signature-256" or "X-PagerDuty-Signature"))
        {
            tamperedRequest.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var wrongToken = Hooks.Request(tool, body, ("Authorization", "Bearer not-the-token"), ("X-Gitlab-Token", "not-the-token"));
        using var missing = Hooks.Request(tool, body);
        missing.Headers.Remove("X-Hub-Signature-256");
        missing.Headers.Remove("X-PagerDuty-Signature");
        missing.Headers.Remove("X-Gitlab-Token");
        missing.Headers.Authorization = null;

        if (tool is "github" or "pagerduty")
        {
            await AssertRejectedAsync(server, tamperedRequest);
        }
        else
        {
            await AssertRejectedAsync(server, wrongToken);
        }

        await AssertRejectedAsync(server, missing);
    }

    [Fact]
    public async Task Post_TokenInQueryString_Accepted()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/jenkins?token={Hooks.Token}") { Content = new ByteArrayContent(Hooks.Fixture("jenkins/started.json")) };
        using var jenkins = server.ClientWith(null); // the tool sends its query token and no Authorization header

        using var response = await jenkins.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownTool_404Problem()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        using var response = await server.Client.PostAsync("/hooks/bitbucket", new StringContent("{}"), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("github, gitlab", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ToolWithoutSecret_401EveryTimeAndOneWarning()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var logs = new CollectingLoggerProvider();
        await using var server = await StartAsync(database, builder => builder.Logging.AddProvider(logs));
        var body = Hooks.Fixture("github/push/payload.json");

        for (var i = 0; i < 3; i++)
        {
            using var request = Hooks.Request("unconfigured", body, ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", $"d-{i}"));
            await AssertRejectedAsync(server, request);
        }

        var warning = Assert.Single(logs.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("/hooks/", StringComparison.Ordinal));
        Assert.Contains("UNSET_SECRET is not set", warning.Text, StringComparison.Ordinal);
        Assert.Contains("unconfigured", warning.Text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_SameDeliveryTwice_SecondAcknowledgedAndChangesNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        await Hooks.PostGitHubAsync(server, "pull_request/opened.payload.json", "delivery-1");
        var before = await Hooks.EventsAsync(server);

        var again = await Hooks.PostGitHubAsync(server, "pull_request/opened.payload.json", "delivery-1");

        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        var after = await Hooks.EventsAsync(server);
        Assert.Equal(before.Total, after.Total);
        Assert.Equal(before.Items.Select(i => i.GetRawText()), after.Items.Select(i => i.GetRawText()));
        Assert.Equal(1, await server.Services.GetRequiredService<IEventStore>().CountDeliveriesAsync(Cancel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_UnknownEventKind_StoredAndListedAsUnmapped(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);

        var answer = await Hooks.PostAsync(server, "github", Encoding.UTF8.GetBytes("""{"zen":"Keep it logically awesome.","hook_id":1}"""),
            ("X-GitHub-Event", "ping"), ("X-GitHub-Delivery", "ping-1"));
        var notJson = await Hooks.PostAsync(server, "jenkins", Encoding.UTF8.GetBytes("not json at all"));

        Assert.False(answer.GetProperty("mapped").GetBoolean());
        Assert.False(notJson.GetProperty("mapped").GetBoolean());
        var item = await Hooks.SingleEventAsync(server, "github", "ping-1");
        Assert.False(item.GetProperty("mapped").GetBoolean());
        Assert.Equal("dev.cdeventsx.throughline-delivery.unmapped.0.1.0", item.Text("type"));
        Assert.Equal("ping", item.Text("payload", "subject", "content", "event"));
        Assert.Contains("'ping' is not translated", item.Text("payload", "subject", "content", "reason"), StringComparison.Ordinal);
        Assert.Equal(2, (await Hooks.EventsAsync(server)).Total);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_Delivery_KeptVerbatimWithHeadersButNoCredentials(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        var body = Hooks.Fixture("gitlab/go-gitlab/push.json");

        await Hooks.PostAsync(server, "gitlab", body, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", "uuid-1"));

        var store = server.Services.GetRequiredService<IEventStore>();
        var delivery = Assert.Single(await store.ListDeliveriesAsync(0, 10, Cancel));
        Assert.Equal(body, delivery.Delivery.Body.ToArray());
        Assert.Equal(("gitlab", "uuid-1", "gitlab"), (delivery.Delivery.ToolId, delivery.Delivery.DeliveryId, delivery.Delivery.Kind));
        var headers = JsonDocument.Parse(delivery.Delivery.Headers).RootElement;
        Assert.Equal("Push Hook", headers.Text("x-gitlab-event"));
        Assert.DoesNotContain(Hooks.Token, delivery.Delivery.Headers, StringComparison.Ordinal);
        var events = await store.ListDeliveryEventsAsync(delivery.Sequence, Cancel);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(delivery.Sequence, e.DeliverySequence));
        var listed = await Hooks.EventsOfAsync(server, "gitlab", "uuid-1");
        Assert.All(listed, e => Assert.Equal(delivery.Sequence, e.GetProperty("delivery").GetInt64()));
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Collector(this);

        public void Dispose()
        {
        }

        private sealed class Collector(CollectingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    lock (owner.Messages)
                    {
                        owner.Messages.Add((logLevel, formatter(state, exception)));
                    }
                }
            }
        }
    }
}

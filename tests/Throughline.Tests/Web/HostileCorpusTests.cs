using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Tests.Cli;
using Throughline.Tests.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>
/// Every hostile input of TestData/hostile (its README says what each tries) sent to the real server on both engines: each is
/// answered as the README says within <see cref="Bound"/>, the server answers afterwards, the store holds nothing refused,
/// and every reader of what it did store still works (the timeline's digest equals <c>rebuild</c>'s).
/// </summary>
public sealed class HostileCorpusTests
{
    /// <summary>Generous for a shared CI machine: the slowest input takes milliseconds here.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>The tool kinds a hook body goes to: every row of ToolKinds, each as a tool of the same name.</summary>
    private static readonly string[] Kinds = ["github", "gitlab", "argocd", "jenkins", "jira", "pagerduty", "opsgenie", "alertmanager", "cdevents"];

    private static readonly string[] Transforms = ["nul-in-every-string", "overlong-every-string", "lone-surrogate-in-every-string"];

    private static int _deliveries;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Case(string File, string? MediaType, string Answer, string What)
    {
        public byte[] Body => System.IO.File.ReadAllBytes(Some.TestDataPath("hostile/" + File));
    }

    private static string Readme => Some.TestData("hostile/README.md");

    private static IReadOnlyList<Case> Cases(string folder) =>
        [.. Readme.Split('\n')
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => new Case(cells[1].Trim('`'), cells[2] == "(none)" ? null : cells[2], cells[3], cells[4]))
            .Where(c => c.File.StartsWith(folder + "/", StringComparison.Ordinal))];

    [Fact]
    public void Corpus_EveryFileHasItsReadmeLineAndEveryLineItsFile()
    {
        var root = Some.TestDataPath("hostile");
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f != "README.md")
            .Order(StringComparer.Ordinal);
        var lines = new[] { "events", "hooks", "model" }.SelectMany(Cases).Select(c => c.File).Order(StringComparer.Ordinal);

        Assert.Equal(files, lines);
        Assert.All(Transforms, name => Assert.Contains($"`{name}`", Readme, StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Events_EveryHostileBody_RefusedInTimeWithNothingStored(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var store = server.Services.GetRequiredService<IEventStore>();
        var failures = new List<string>();
        var cases = Cases("events");

        foreach (var hostile in cases)
        {
            var before = await store.CountAsync(Cancel);
            var content = new ByteArrayContent(hostile.Body);
            content.Headers.ContentType = hostile.MediaType is null ? null : new MediaTypeHeaderValue(hostile.MediaType);
            var clock = Stopwatch.StartNew();
            using var response = await server.Client.PostAsync("/api/events", content, Cancel);
            var answer = await response.Content.ReadAsStringAsync(Cancel);
            var took = clock.Elapsed;

            Expect(failures, hostile, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) == hostile.Answer,
                $"answered {(int)response.StatusCode}: {Shorten(answer)}");
            Expect(failures, hostile, took < Bound, $"took {took.TotalSeconds:N1} s");
            Expect(failures, hostile, answer.Length < 20_000, $"the answer is {answer.Length:N0} bytes");
            Expect(failures, hostile, await store.CountAsync(Cancel) == before, "the store changed");
        }

        Assert.True(cases.Count >= 40, "the corpus was not copied");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertAliveAndReadableAsync(server, database);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Hooks_EveryHostileBodyToEveryKind_RefusedOrStoredAsTheDocsPromise(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: ModelWithEveryKind());
        var failures = new List<string>();

        foreach (var hostile in Cases("hooks"))
        {
            foreach (var kind in Kinds)
            {
                await SendHookAsync(server, failures, hostile with { What = $"{hostile.File} to {kind}" }, kind, hostile.Body);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertAliveAndReadableAsync(server, database);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Hooks_EveryFixtureOfEveryKindMadeHostile_RefusedOrStoredAsTheDocsPromise(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: ModelWithEveryKind());
        var failures = new List<string>();
        var sent = 0;

        foreach (var kind in Kinds)
        {
            var fixtures = kind == "cdevents"
                ? Some.CdEventFixtures().Select(f => (Name: Path.GetFileName(f), Path: f))
                : Hooks.Fixtures(kind).Select(f => (Name: f, Path: Some.TestDataPath($"hooks/{kind}/{f}")));
            foreach (var (name, path) in fixtures)
            {
                foreach (var transform in Transforms)
                {
                    var answer = transform == "lone-surrogate-in-every-string" ? "400" : "stored";
                    var body = Transform(await File.ReadAllTextAsync(path, Cancel), transform);
                    var hostile = new Case($"{kind}/{name}", "application/json", answer, $"{transform} of {kind}/{name}");
                    await SendHookAsync(server, failures, hostile, kind, Encoding.UTF8.GetBytes(body), kind == "github" ? name.Split('/')[0] : null);
                    sent++;
                }
            }
        }

        Assert.True(sent > 250, $"only {sent} deliveries sent: the hook fixtures were not copied");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await AssertAliveAndReadableAsync(server, database);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Model_EveryHostileModel_RefusedInTimeAndTheModelInForceStays(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartWithModelFileAsync(database.Database, ModelReloadTests.ModelFileIn(database, ModelText.Minimal));
        var store = server.Services.GetRequiredService<IEventStore>();
        var versions = (await store.ListModelVersionsAsync(Cancel)).Count;
        var failures = new List<string>();

        foreach (var hostile in Cases("model"))
        {
            var content = new ByteArrayContent(hostile.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue(hostile.MediaType!);
            var clock = Stopwatch.StartNew();
            using var response = await server.Client.PutAsync("/api/model", content, Cancel);
            var answer = await response.Content.ReadAsStringAsync(Cancel);
            var took = clock.Elapsed;

            Expect(failures, hostile, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) == hostile.Answer,
                $"answered {(int)response.StatusCode}: {Shorten(answer)}");
            Expect(failures, hostile, took < Bound, $"took {took.TotalSeconds:N1} s");
            Expect(failures, hostile, answer.Length < 30_000, $"the answer is {answer.Length:N0} bytes");
            Expect(failures, hostile, await ModelReloadTests.OrganizationAsync(server, Cancel) == "Acme", "the model in force changed");
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity && JsonDocument.Parse(answer).RootElement is var problem
                && problem.GetProperty("errorCount").GetInt32() > 100)
            {
                Expect(failures, hostile, problem.GetProperty("errors").GetArrayLength() == 100, "more than 100 errors listed");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(versions, (await store.ListModelVersionsAsync(Cancel)).Count);
        using var health = await server.Client.GetAsync("/healthz", Cancel);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Sends one delivery and checks its answer and what the store holds afterwards against <see cref="Case.Answer"/>.</summary>
    private static async Task SendHookAsync(RunningServer server, List<string> failures, Case hostile, string kind, byte[] body, string? gitHubEvent = null)
    {
        var store = server.Services.GetRequiredService<IEventStore>();
        var (events, deliveries) = (await store.CountAsync(Cancel), await store.CountDeliveriesAsync(Cancel));
        var id = $"hostile-{Interlocked.Increment(ref _deliveries)}";
        using var request = Hooks.Request(kind, body, ("X-GitHub-Event", gitHubEvent ?? "push"), ("X-GitHub-Delivery", id), ("X-Gitlab-Event-UUID", id),
            ("X-Atlassian-Webhook-Identifier", id), ("X-Webhook-Id", id));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue(hostile.MediaType!);
        var clock = Stopwatch.StartNew();
        using var response = await server.Client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var took = clock.Elapsed;
        var (eventsAfter, deliveriesAfter) = (await store.CountAsync(Cancel), await store.CountDeliveriesAsync(Cancel));

        Expect(failures, hostile, took < Bound, $"took {took.TotalSeconds:N1} s");
        if (hostile.Answer == "400")
        {
            Expect(failures, hostile, response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {Shorten(text)}");
            Expect(failures, hostile, (eventsAfter, deliveriesAfter) == (events, deliveries), "the store changed");
            return;
        }

        if (!Expect(failures, hostile, response.StatusCode == HttpStatusCode.Accepted, $"answered {(int)response.StatusCode}: {Shorten(text)}"))
        {
            return;
        }

        var answer = JsonDocument.Parse(text).RootElement;
        Expect(failures, hostile, deliveriesAfter == deliveries + 1 && eventsAfter > events, "the delivery was not stored with an event");
        Expect(failures, hostile, answer.GetProperty("mapped").GetBoolean() || answer.GetProperty("reason").GetString() is { Length: > 0 }, "unmapped without a reason");
        if (hostile.Answer == "unmapped")
        {
            Expect(failures, hostile, !answer.GetProperty("mapped").GetBoolean(), $"mapped: {Shorten(text)}");
        }
    }

    /// <summary>The server answers, lists what it stored, and its timeline equals what <c>rebuild</c> computes from the store.</summary>
    private static async Task AssertAliveAndReadableAsync(RunningServer server, TestDatabase database)
    {
        await TimelineCatchUp.AwaitAsync(server);
        using var health = await server.Client.GetAsync("/healthz", Cancel);
        using var list = await server.Client.GetAsync("/api/events?limit=1000", Cancel);
        var timeline = JsonDocument.Parse(await server.Client.GetStringAsync("/api/timeline", Cancel)).RootElement;
        var rebuild = await CliRun.RunAsync("rebuild", "--db", database.Database);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(0, timeline.GetProperty("unreadable").GetProperty("count").GetInt64());
        Assert.True(rebuild.ExitCode == 0 && rebuild.Error.Length == 0, rebuild.Error);
        Assert.Contains($"digest       {timeline.GetProperty("digest").GetString()}", rebuild.Output, StringComparison.Ordinal);
    }

    /// <summary>The hooks model with a tool of every kind, the <c>cdevents</c> kind included.</summary>
    private static OperatingModel ModelWithEveryKind()
    {
        var yaml = Hooks.ModelYaml.Replace("services:", "  - id: cdevents\n    kind: cdevents\n    token: ${CDEVENTS_TOKEN}\nservices:", StringComparison.Ordinal);
        var result = OperatingModelLoader.LoadText(yaml, "hooks.yaml", new ModelLoadOptions
        {
            GetEnvironmentVariable = name => name.EndsWith("SECRET", StringComparison.Ordinal) ? Hooks.Secret : Hooks.Token,
        });
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        return result.Model!;
    }

    /// <summary>Every string value of the JSON text changed as <paramref name="transform"/> says.</summary>
    private static string Transform(string json, string transform)
    {
        const string Lone = "\u0001LONE\u0001";
        var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        void Walk(JsonNode? current)
        {
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj.ToList())
                    {
                        if (value is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                        {
                            obj[key] = Changed(text);
                        }
                        else
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is JsonValue leaf && leaf.TryGetValue<string>(out var text))
                        {
                            array[i] = Changed(text);
                        }
                        else
                        {
                            Walk(array[i]);
                        }
                    }

                    break;
            }
        }

        string Changed(string text) => transform switch
        {
            "nul-in-every-string" => text + "\0",
            "overlong-every-string" => text + new string('x', 3000),
            _ => text + Lone,
        };

        Walk(node);
        return node!.ToJsonString().Replace("\\u0001LONE\\u0001", "\\ud800", StringComparison.Ordinal);
    }

    private static bool Expect(List<string> failures, Case hostile, bool holds, string what)
    {
        if (!holds)
        {
            failures.Add($"{hostile.What} ({hostile.File}): {what}");
        }

        return holds;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}

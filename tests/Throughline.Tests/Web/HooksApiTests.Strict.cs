using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>What a verified delivery may not carry into the store: text that is not Unicode is refused at the door, a field
/// no engine may store makes the delivery unmapped with the reason, and a delivery is never lost to a 500.</summary>
public sealed partial class HooksApiTests
{
    private static string Text(string fixture) => Encoding.UTF8.GetString(Hooks.Fixture(fixture));

    private static async Task<(long Events, long Deliveries)> CountsAsync(RunningServer server)
    {
        var store = server.Services.GetRequiredService<IEventStore>();
        return (await store.CountAsync(Cancel), await store.CountDeliveriesAsync(Cancel));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(RunningServer server, string tool, byte[] body, params (string Name, string Value)[] headers)
    {
        using var request = Hooks.Request(tool, body, headers);
        using var response = await server.Client.SendAsync(request, Cancel);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_DeliveryWithALoneSurrogate_400NamesTheField_RawBytesKept(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        var push = Text("github/push/payload.json");
        var surrogate = push.Replace("\"ref\": \"refs/tags/", "\"ref\": \"refs/tags/\\ud800", StringComparison.Ordinal);
        var invalidUtf8 = Encoding.UTF8.GetBytes(push.Replace("\"ref\": \"refs/tags/", "\"ref\": \"refs/tags/__", StringComparison.Ordinal));
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'_')] = 0xFF;
        var before = await CountsAsync(server);

        var (status, problem) = await SendAsync(server, "github", Encoding.UTF8.GetBytes(surrogate), ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "surrogate"));
        var (utf8Status, utf8Problem) = await SendAsync(server, "github", invalidUtf8, ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "bytes"));
        var (jiraStatus, _) = await SendAsync(server, "jira", Encoding.UTF8.GetBytes(Text("jira/issue-created.json").Replace("\"key\": \"REL-17\"", "\"key\": \"\\udfffREL-17\"", StringComparison.Ordinal)));

        // A lone surrogate escape is refused; raw bytes that are not UTF-8 are kept byte for byte (nothing a tool sent is lost;
        // HooksApiTests.Delivery_BytesThatAreNotUtf8_StoredAndReplayedByteForByte reads them back) and translated from the
        // text with U+FFFD in their place.
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Accepted, HttpStatusCode.BadRequest), (status, utf8Status, jiraStatus));
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("ref", error.GetProperty("field").GetString());
        Assert.Contains("lone surrogate", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("bytes", utf8Problem.GetProperty("deliveryId").GetString());
        var after = await CountsAsync(server);
        Assert.NotEqual(before, after);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_TranslationNoEngineMayStore_StoredAsUnmappedWithTheReason(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        var push = Text("github/push/payload.json");
        var nul = push.Replace("\"ref\": \"refs/tags/simple-tag\"", "\"ref\": \"refs/tags/simple-tag\\u0000\"", StringComparison.Ordinal);
        var longKey = Text("jira/issue-created.json").Replace("\"key\": \"REL-17\"", "\"key\": \"" + new string('K', 3000) + "REL-17\"", StringComparison.Ordinal);

        var (status, answer) = await SendAsync(server, "github", Encoding.UTF8.GetBytes(nul), ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "nul-after"));
        var (jiraStatus, jira) = await SendAsync(server, "jira", Encoding.UTF8.GetBytes(longKey));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (status, jiraStatus));
        Assert.False(answer.GetProperty("mapped").GetBoolean());
        Assert.Contains("subject.id: holds the control character U+0000", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(jira.GetProperty("mapped").GetBoolean());
        Assert.Contains("subject.id: is 3", jira.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var placeholder = await Hooks.SingleEventAsync(server, "github", "nul-after");
        Assert.False(placeholder.GetProperty("mapped").GetBoolean());
        Assert.Contains("U+0000", placeholder.Text("payload", "subject", "content", "reason"), StringComparison.Ordinal);
        Assert.Equal((2, 2), await CountsAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_DeliveryIdNoEngineMayStore_KnownByTheHashOfItsBody(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        var random = new Random(17);
        var incompressible = string.Concat(Enumerable.Range(0, 3000).Select(_ => (char)random.Next('a', 'z' + 1)));
        var body = Hooks.Fixture("github/push/payload.json");

        var (status, answer) = await SendAsync(server, "github", body, ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", incompressible));
        var (tabStatus, tab) = await SendAsync(server, "gitlab", Hooks.Fixture("gitlab/go-gitlab/push.json"), ("X-Gitlab-Event-UUID", "a\tb"));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (status, tabStatus));
        Assert.StartsWith("sha256:", answer.GetProperty("deliveryId").GetString(), StringComparison.Ordinal);
        Assert.True(answer.GetProperty("mapped").GetBoolean());
        Assert.StartsWith("sha256:", tab.GetProperty("deliveryId").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Replay_StoredDeliveryThatIsNotUnicodeText_TranslatedAsUnmapped(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var store = await database.OpenStoreAsync())
        {
            // Stored by a Throughline that did not check: the body decodes as UTF-8 but holds a lone surrogate escape.
            var body = Text("github/push/payload.json").Replace("\"ref\": \"refs/tags/", "\"ref\": \"refs/tags/\\ud800", StringComparison.Ordinal);
            var delivery = new DeliveryDraft("github", "old", "github", DateTimeOffset.UnixEpoch.AddYears(56), "{\"x-github-event\":\"push\"}", System.Text.Encoding.UTF8.GetBytes(body));
            var translated = new EventDraft("/hooks/github", "old/1", "dev.cdeventsx.git-tag.deleted.0.1.0", "x", delivery.ReceivedAt, "0.5.0", true, "hook:github", "{}");
            await store.AppendDeliveryAsync(delivery, [translated], Cancel);
        }

        var replay = await Cli.CliRun.RunAsync("replay", "--db", database.Database);

        Assert.True(replay.ExitCode == 0, replay.Output + replay.Error);
        Assert.Contains("1 unmapped", replay.Output, StringComparison.Ordinal);
        await using var reopened = await database.OpenStoreAsync();
        var stored = Assert.Single(await reopened.ListNewestAsync(10, Cancel));
        Assert.False(stored.Event.Mapped);
        Assert.Contains("lone surrogate", stored.Event.Payload, StringComparison.Ordinal);
    }
}

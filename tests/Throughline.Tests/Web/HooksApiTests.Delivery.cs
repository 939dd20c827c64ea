using Microsoft.Extensions.DependencyInjection;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class HooksApiTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ArgoCdJenkinsJira_EveryPayload_AcceptedAndListed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);

        foreach (var tool in new[] { "argocd", "jenkins", "jira" })
        {
            await PostEveryFixtureAsync(server, tool, (_, body) => Hooks.PostAsync(server, tool, body));
        }

        Assert.Equal(6 + 4 + 4, await server.Services.GetRequiredService<Throughline.Storage.IEventStore>().CountDeliveriesAsync(Cancel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Delivery_BytesThatAreNotUtf8_StoredAndReplayedByteForByte(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        byte[] body = [.. "{\"phase\":\"STARTED\",\"name\":\""u8, 0xFF, 0xFE, 0x00, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xF8, .. "\"}\n"u8];

        var answer = await Hooks.PostAsync(server, "jenkins", body);
        var replay = await Cli.CliRun.RunAsync("replay", "--db", database.Database);

        Assert.False(answer.GetProperty("duplicate").GetBoolean());
        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Contains("Replayed 1 deliveries", replay.Output, StringComparison.Ordinal);
        Assert.Contains("0 re-translated", replay.Output, StringComparison.Ordinal);
        var stored = Assert.Single(await server.Services.GetRequiredService<Throughline.Storage.IEventStore>().ListDeliveriesAsync(0, 10, Cancel));
        Assert.Equal(Convert.ToHexString(body), Convert.ToHexString(stored.Delivery.Body.Span));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Delivery_StoredAsTextBeforeTheBytesColumn_ReadsBackAsItsText(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var store = await database.OpenStoreAsync())
        {
            await using var connection = await database.ConnectAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO deliveries (tool_id, delivery_id, kind, received_at_us, headers, body) VALUES ('jenkins', 'old-1', 'jenkins', 0, '{}', '{\"name\":\"café\"}')";
            await insert.ExecuteNonQueryAsync(Cancel);
        }

        await using var reopened = await database.OpenStoreAsync();
        var stored = Assert.Single(await reopened.ListDeliveriesAsync(0, 10, Cancel));

        Assert.Equal("{\"name\":\"café\"}", stored.Delivery.Text);
        Assert.Equal("{\"name\":\"café\"}"u8.ToArray(), stored.Delivery.Body.ToArray());
    }

    [Fact]
    public async Task ArgoCd_DeployedNotifications_DeployedUpgradedRolledBackAndDegraded()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        async Task<System.Text.Json.JsonElement> SendAsync(string name) =>
            await Hooks.SingleEventAsync(server, "argocd", (await Hooks.PostAsync(server, "argocd", Hooks.Fixture($"argocd/payloads/{name}.json"))).Text("deliveryId")!);

        var first = await SendAsync("deployed-first");
        var upgrade = await SendAsync("deployed-upgrade");
        var rollback = await SendAsync("deployed-rollback");
        var degraded = await SendAsync("health-degraded");
        var resync = await SendAsync("sync-succeeded-same-revision");
        var failed = await SendAsync("sync-failed");

        Assert.Equal(("dev.cdevents.service.deployed.0.3.0", "velero-test"), (first.Text("type"), first.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2024-03-05T07:33:04Z"), first.GetProperty("timestamp").GetDateTimeOffset());
        var content = first.GetProperty("payload").GetProperty("subject").GetProperty("content");
        Assert.Equal("test-lla", content.Text("environment", "id"));
        Assert.Equal("pkg:github/foo/manifests-velero@ea8759964626a583667a2bfd08f334ec2070040a", content.Text("artifactId"));
        Assert.Equal("ea8759964626a583667a2bfd08f334ec2070040a", first.GetProperty("payload").Text("customData", "commitSha"));
        Assert.Equal("dev.cdevents.service.upgraded.0.3.0", upgrade.Text("type"));
        Assert.Equal("dev.cdevents.service.rolledback.0.3.0", rollback.Text("type"));
        Assert.Equal("1f0c3b6a2d9e4f5a8b7c6d5e4f3a2b1c0d9e8f7a", rollback.GetProperty("payload").Text("customData", "commitSha"));
        Assert.Equal(("dev.cdevents.incident.detected.0.3.0", "velero-test"), (degraded.Text("type"), degraded.GetProperty("payload").Text("subject", "content", "service", "id")));
        Assert.Equal(DateTimeOffset.Parse("2024-03-05T07:41:10Z"), degraded.GetProperty("timestamp").GetDateTimeOffset());
        Assert.False(resync.GetProperty("mapped").GetBoolean());
        Assert.False(failed.GetProperty("mapped").GetBoolean());
    }

    [Fact]
    public async Task Jenkins_Phases_PipelineRunQueuedStartedFinishedWithOutcome()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        var events = new List<System.Text.Json.JsonElement>();
        foreach (var phase in new[] { "queued", "started", "completed", "finalized" })
        {
            var answer = await Hooks.PostAsync(server, "jenkins", Hooks.Fixture($"jenkins/{phase}.json"));
            events.Add(await Hooks.SingleEventAsync(server, "jenkins", answer.Text("deliveryId")!));
        }

        Assert.Equal(
            ["dev.cdevents.pipelinerun.queued.0.3.0", "dev.cdevents.pipelinerun.started.0.3.0", "dev.cdevents.pipelinerun.finished.0.3.0", "dev.cdeventsx.throughline-delivery.unmapped.0.1.0"],
            events.Select(e => e.Text("type")));
        Assert.Equal("checkout/42", events[2].Text("subjectId"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1774016825315), events[1].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1774016825315 + 83000), events[2].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("failure", events[2].GetProperty("payload").Text("subject", "content", "outcome"));
        Assert.Equal("9fceb02d0ae598e95dc970b74767f19372d61af8", events[2].GetProperty("payload").Text("customData", "commitSha"));
    }

    [Fact]
    public async Task Jira_CreatedUpdatedTransitionedToDone_Tickets()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        var events = new List<System.Text.Json.JsonElement>();
        foreach (var name in new[] { "issue-created", "issue-updated", "issue-transitioned-done", "issue-deleted" })
        {
            var answer = await Hooks.PostAsync(server, "jira", Hooks.Fixture($"jira/{name}.json"));
            events.Add(await Hooks.SingleEventAsync(server, "jira", answer.Text("deliveryId")!));
        }

        Assert.Equal(
            ["dev.cdevents.ticket.created.0.2.0", "dev.cdevents.ticket.updated.0.2.0", "dev.cdevents.ticket.closed.0.2.0", "dev.cdeventsx.throughline-delivery.unmapped.0.1.0"],
            events.Select(e => e.Text("type")));
        Assert.All(events.Take(3), e => Assert.Equal("REL-17", e.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T14:27:05.315Z"), events[0].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T15:30:05Z"), events[2].GetProperty("timestamp").GetDateTimeOffset());
        var closed = events[2].GetProperty("payload");
        Assert.Equal(("Done", "In Review"), (closed.Text("subject", "content", "resolution"), closed.Text("customData", "fromStatus")));
        Assert.Equal("REL", closed.Text("subject", "content", "group"));
    }
}

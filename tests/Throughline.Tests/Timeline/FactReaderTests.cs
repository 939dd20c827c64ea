using System.Text;
using System.Text.Json.Nodes;
using Throughline.Intake;
using Throughline.Storage;
using Throughline.Timeline;
using Throughline.Tests.Support;

namespace Throughline.Tests.Timeline;

public sealed class FactReaderTests
{
    private static async Task<Fact> ReadAsync(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        await foreach (var item in EventFileReader.ReadAsync(stream, "test", TestContext.Current.CancellationToken))
        {
            return FactReader.Read(new StoredEvent(1, DateTimeOffset.UnixEpoch, item.Event!)) ?? throw new InvalidOperationException("no fact");
        }

        throw new InvalidOperationException("no event");
    }

    private static string WithTitle(string json, string title)
    {
        var node = JsonNode.Parse(json)!;
        node["customData"] = new JsonObject { ["title"] = title };
        return node.ToJsonString();
    }

    [Fact]
    public async Task ChangeCreated_DescriptionOnly_IsKeptAsDescription()
    {
        var fact = await ReadAsync(Some.TestData("cdevents/v0.6.0-draft/change_created.json"));

        Assert.Null(fact.Title);
        Assert.Equal("This PR address a bug from a recent PR", fact.Description);
    }

    [Fact]
    public async Task ChangeCreated_ExplicitTitle_WinsAndTheDescriptionIsNotKept()
    {
        var fact = await ReadAsync(WithTitle(Some.TestData("cdevents/v0.6.0-draft/change_created.json"), "Fix the checkout total"));

        Assert.Equal("Fix the checkout total", fact.Title);
        Assert.Null(fact.Description);
    }

    [Fact]
    public async Task IncidentDescription_IsKept_ForTheReleaseVerdictToSay()
    {
        var fact = await ReadAsync(Some.TestData("cdevents/v0.6.0-draft/incident_detected.json"));

        Assert.Equal("Response time above threshold of 100ms", fact.Description);
        Assert.Null(fact.Title);
    }

    [Theory]
    [InlineData("{\"reviewer\": \"bob\", \"author\": \"alice\"}", "bob")]
    [InlineData("{\"author\": \"alice\"}", "alice")]
    [InlineData("{\"actor\": \"carol\", \"reviewer\": \"bob\"}", "carol")]
    [InlineData("{}", null)]
    public async Task Actor_CustomData_IsTheOneWhoActed(string customData, string? actor)
    {
        var node = JsonNode.Parse(Some.TestData("cdevents/v0.6.0-draft/change_reviewed.json"))!;
        node["customData"] = JsonNode.Parse(customData);

        var fact = await ReadAsync(node.ToJsonString());

        Assert.Equal(actor, fact.Actor);
    }

    [Fact]
    public async Task IncidentLabels_FromCustomData_WhereTheAdaptersWriteThem()
    {
        var node = JsonNode.Parse(Some.TestData("cdevents/v0.6.0-draft/incident_detected.json"))!;
        node["customData"]!["labels"] = new JsonArray("HighErrorRate", "database");

        var fact = await ReadAsync(node.ToJsonString());

        Assert.Equal(["HighErrorRate", "database"], fact.Labels);
    }

    [Theory]
    [InlineData("feature/x", "acme/checkout", "main", "feature/x")]
    [InlineData("feature/x", "ACME/Checkout", "main", "feature/x")]
    [InlineData("main", "someone/checkout", "main", null)]
    [InlineData("feature/x", null, "main", "feature/x")]
    [InlineData("main", null, "main", null)]
    public async Task ChangeHeadBranch_OwnRepositoryOnly(string sourceBranch, string? sourceRepository, string targetBranch, string? expected)
    {
        // Events stored before sourceRepository was written leave it out: a branch named as its target is then taken for a fork's.
        var node = JsonNode.Parse(Some.TestData("cdevents/v0.6.0-draft/change_created.json"))!;
        node["customData"] = new JsonObject
        {
            ["repository"] = "acme/checkout",
            ["sourceBranch"] = sourceBranch,
            ["sourceRepository"] = sourceRepository,
            ["targetBranch"] = targetBranch,
        };
        node["subject"]!["content"]!.AsObject().Remove("repository");

        var fact = await ReadAsync(node.ToJsonString());

        Assert.Equal(expected, fact.Branch);
    }

    [Fact]
    public async Task PushCommits_NotDistinct_LeftOutOfTheFirstCommit()
    {
        var push = new JsonObject
        {
            ["context"] = new JsonObject
            {
                ["specversion"] = "0.4.1",
                ["id"] = "p-1",
                ["source"] = "/test/git",
                ["type"] = "dev.cdeventsx.git-push.received.0.1.0",
                ["timestamp"] = "2026-03-02T12:00:00Z",
            },
            ["subject"] = new JsonObject { ["id"] = "abc", ["content"] = new JsonObject() },
            ["customData"] = new JsonObject
            {
                ["repository"] = "acme/checkout",
                ["branch"] = "feature/x",
                ["commits"] = new JsonArray(
                    new JsonObject { ["id"] = "old", ["timestamp"] = "2026-01-01T00:00:00Z", ["distinct"] = false },
                    new JsonObject { ["id"] = "new", ["timestamp"] = "2026-03-02T11:00:00Z", ["distinct"] = true }),
            },
        };

        var fact = await ReadAsync(push.ToJsonString());

        Assert.Equal(("feature/x", DateTimeOffset.Parse("2026-03-02T11:00:00Z")), (fact.Branch, fact.FirstCommitAt));
    }
}

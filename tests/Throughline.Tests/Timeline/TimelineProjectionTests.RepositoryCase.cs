using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Intake;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineProjectionTests
{
    private static EventDraft Stored(string id, string type, string subject, double hours, JsonObject content, JsonObject custom)
    {
        var text = new JsonObject
        {
            ["context"] = new JsonObject { ["specversion"] = "0.5.0", ["id"] = id, ["source"] = "/test", ["type"] = type, ["timestamp"] = Timestamps.Format(Facts.At(hours)) },
            ["subject"] = new JsonObject { ["id"] = subject, ["content"] = content },
            ["customData"] = custom,
        }.ToJsonString();
        using var document = JsonDocument.Parse(text);
        return CdEventReader.Read(document.RootElement, text, null, "api", null, []) ?? throw new InvalidOperationException("invalid test event");
    }

    [Fact]
    public async Task Projection_RepositoryInAnotherCase_SameAsAFullRebuild()
    {
        var model = Facts.Model();
        var events = new List<EventDraft>
        {
            Stored("b", "dev.cdevents.change.merged.0.3.0", "B", 0.5, new JsonObject { ["repository"] = new JsonObject { ["id"] = "ACME/Checkout" } }, new JsonObject { ["mergeCommitSha"] = "sha-b" }),
            Stored("a", "dev.cdevents.change.merged.0.3.0", "A", 1, new JsonObject { ["repository"] = new JsonObject { ["id"] = "acme/checkout" } }, new JsonObject { ["mergeCommitSha"] = "sha-a" }),
            Stored("p", "dev.cdevents.artifact.packaged.0.3.0", "artifact-a", 1.5, [], new JsonObject { ["changeId"] = "A" }),
            Stored("d", "dev.cdevents.service.deployed.0.3.0", "checkout", 2, new JsonObject { ["environment"] = new JsonObject { ["id"] = "production" }, ["artifactId"] = "artifact-a" }, []),
        };
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        await store.AppendAsync(events, DateTimeOffset.UnixEpoch, Cancel);
        var projection = new TimelineProjection(store, model, TimeProvider.System);

        await projection.CatchUpAsync(Cancel);

        var rebuilt = TimelineBuilder.Build((await store.ReadAfterAsync(0, 100, Cancel)).Select(s => FactReader.Read(s)).OfType<Fact>(), model);
        Assert.True(rebuilt.Changes["B"].PredatesHistory);
        Assert.Equal(TimelineDigest.Compute(rebuilt), TimelineDigest.Compute(projection.Current));
    }
}

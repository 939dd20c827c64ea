using System.Text;
using Throughline.Intake.Hooks;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

public sealed class ReplayCommandTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Replay_StaleTranslation_ReplacedOnceThenIdempotent(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var model = Hooks.Model();
        var folder = Directory.CreateTempSubdirectory("throughline-replay-");
        var modelFile = Path.Combine(folder.FullName, "model.yaml");
        await File.WriteAllTextAsync(modelFile, Hooks.ModelYaml, Cancel);
        var body = Encoding.UTF8.GetString(Hooks.Fixture("github/pull_request/HookPullRequestMerged.json"));
        var delivery = new DeliveryDraft("github", "old-1", "github", DateTimeOffset.Parse("2024-01-01T00:00:00Z"), """{"x-github-event":"pull_request"}""", Encoding.UTF8.GetBytes(body));
        var current = HookTranslator.Translate(new HookMessage(model.Tools[0], model, "old-1", new Dictionary<string, string> { ["x-github-event"] = "pull_request" }, body, delivery.ReceivedAt));
        // What an older adapter stored: the delivery as unmapped.
        var stale = HookTranslator.Translate(new HookMessage(model.Tools[0], model, "old-1", new Dictionary<string, string> { ["x-github-event"] = "unknown" }, body, delivery.ReceivedAt));
        await using (var store = await database.OpenStoreAsync())
        {
            await store.AppendDeliveryAsync(delivery, stale.Events, Cancel);
            await store.AppendDeliveryAsync(delivery with { DeliveryId = "current-1" }, HookTranslator.Translate(new HookMessage(
                model.Tools[0], model, "current-1", new Dictionary<string, string> { ["x-github-event"] = "pull_request" }, body, delivery.ReceivedAt)).Events, Cancel);
        }

        try
        {
            var first = await CliRun.RunAsync("replay", "--db", database.Database, "--model", modelFile);
            var second = await CliRun.RunAsync("replay", "--db", database.Database);

            Assert.True(first.ExitCode == 0, first.Error);
            Assert.Contains("Replayed 2 deliveries", first.Output, StringComparison.Ordinal);
            Assert.Contains("1 re-translated, 1 unchanged, 0 unmapped", first.Output, StringComparison.Ordinal);
            Assert.Contains("0 re-translated, 2 unchanged", second.Output, StringComparison.Ordinal);
            await using var reopened = await database.OpenStoreAsync();
            var stored = await reopened.ListDeliveriesAsync(0, 10, Cancel);
            var events = await reopened.ListDeliveryEventsAsync(stored[0].Sequence, Cancel);
            var merged = Assert.Single(events);
            Assert.Equal(current.Events[0].Payload, merged.Event.Payload);
            Assert.Equal(("old-1/1", "dev.cdevents.change.merged.0.3.0", true), (merged.Event.Id, merged.Event.Type, merged.Event.Mapped));
            Assert.Equal(delivery.ReceivedAt, merged.ReceivedAt);
            Assert.Equal(2, await reopened.CountAsync(Cancel));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

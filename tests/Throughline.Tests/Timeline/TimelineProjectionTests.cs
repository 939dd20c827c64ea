using Microsoft.Extensions.Time.Testing;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Simulation;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineProjectionTests
{
    private static readonly SimulationOptions ThreeWeeks = new() { Seed = 11, Days = 21 };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(List<EventDraft> Events, OperatingModel Model)> SimulatedAsync()
    {
        return (await Simulated.EventsAsync(ThreeWeeks, Cancel), Simulated.Model(ThreeWeeks));
    }

    private static async Task<TimelineProjection> FeedAsync(
        TestDatabase database, OperatingModel model, IEnumerable<IReadOnlyList<EventDraft>> batches, bool catchUpBetween, int? cachedFacts = null)
    {
        await using var store = await database.OpenStoreAsync();
        var projection = new TimelineProjection(store, model, TimeProvider.System, cachedFacts);
        foreach (var batch in batches)
        {
            await store.AppendAsync(batch, DateTimeOffset.UnixEpoch, Cancel);
            if (catchUpBetween)
            {
                await projection.CatchUpAsync(Cancel);
            }
        }

        await projection.CatchUpAsync(Cancel);
        return projection;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Feed_InOrderReversedAndShuffledWithDuplicates_IdenticalTimelines(string provider)
    {
        var (events, model) = await SimulatedAsync();
        var random = new Random(5);
        var shuffled = events.Concat(events.Where((_, i) => i % 7 == 0)).OrderBy(_ => random.Next()).ToList();
        await using var inOrder = await TestDatabase.CreateAsync(provider);
        await using var reversed = await TestDatabase.CreateAsync(provider);
        await using var mixed = await TestDatabase.CreateAsync(provider);

        var a = await FeedAsync(inOrder, model, events.Chunk(2000), catchUpBetween: true);
        var b = await FeedAsync(reversed, model, Enumerable.Reverse(events).Chunk(500), catchUpBetween: true);
        var c = await FeedAsync(mixed, model, shuffled.Chunk(3000), catchUpBetween: false);

        Assert.True(a.Current.Changes.Count > 300, $"only {a.Current.Changes.Count} changes");
        Assert.Equal(TimelineDigest.Compute(a.Current), TimelineDigest.Compute(b.Current));
        Assert.Equal(TimelineDigest.Compute(a.Current), TimelineDigest.Compute(c.Current));
        Assert.Equal(a.Current.Changes.Keys.Order(), c.Current.Changes.Keys.Order());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task FewFactsKeptInMemory_SameTimelineAsAllKept(string provider)
    {
        // Partitions whose facts were let go are read back from the store when an event touches them.
        var (events, model) = await SimulatedAsync();
        var random = new Random(8);
        var shuffled = events.OrderBy(_ => random.Next()).ToList();
        await using var all = await TestDatabase.CreateAsync(provider);
        await using var few = await TestDatabase.CreateAsync(provider);
        await using var none = await TestDatabase.CreateAsync(provider);

        var kept = await FeedAsync(all, model, shuffled.Chunk(900), catchUpBetween: true);
        var bounded = await FeedAsync(few, model, shuffled.Chunk(900), catchUpBetween: true, cachedFacts: 1000);
        var reread = await FeedAsync(none, model, shuffled.Chunk(900), catchUpBetween: true, cachedFacts: 0);

        Assert.True(kept.Current.Changes.Count > 300, $"only {kept.Current.Changes.Count} changes");
        Assert.Equal(0, kept.FactsReread);
        Assert.Equal(kept.Current.Facts, kept.HeldFacts);
        Assert.InRange(bounded.HeldFacts, 1, 1000);
        Assert.True(bounded.FactsReread > 0, "nothing was read back with 1,000 facts kept");
        Assert.Equal(0, reread.HeldFacts);
        Assert.True(reread.FactsReread > kept.Current.Facts, $"{reread.FactsReread} facts read back");
        Assert.Equal(TimelineDigest.Compute(kept.Current), TimelineDigest.Compute(bounded.Current));
        Assert.Equal(TimelineDigest.Compute(kept.Current), TimelineDigest.Compute(reread.Current));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Incremental_EqualsARebuildFromTheStore(string provider)
    {
        var (events, model) = await SimulatedAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        var incremental = await FeedAsync(database, model, events.Chunk(700), catchUpBetween: true);

        await using var store = await database.OpenStoreAsync();
        var rebuilt = new TimelineProjection(store, model, TimeProvider.System);
        await rebuilt.CatchUpAsync(Cancel);

        Assert.Equal(TimelineDigest.Compute(incremental.Current), TimelineDigest.Compute(rebuilt.Current));
        Assert.Equal(incremental.Watermark, rebuilt.Watermark);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CatchUp_PastGapsInSequenceNumbers_ReadsEverythingAtOnce(string provider)
    {
        // PostgreSQL spends a sequence number on every duplicate it skips: the gaps must not hold reading back.
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        EventDraft Draft(int i) => new("/gaps", "e" + i, "dev.cdevents.change.created.0.4.0", "acme/x#" + i, DateTimeOffset.UnixEpoch.AddMinutes(i), "0.5.0", true, "test",
            "{\"context\": {\"id\": \"e" + i + "\"}, \"subject\": {\"id\": \"acme/x#" + i + "\", \"content\": {\"repository\": {\"id\": \"acme/x\"}}}}");
        await store.AppendAsync([Draft(0)], DateTimeOffset.UnixEpoch, Cancel);
        for (var batch = 0; batch < 3; batch++)
        {
            await store.AppendAsync([Draft(0), .. Enumerable.Range(1 + (batch * 5000), 5000).Select(Draft)], DateTimeOffset.UnixEpoch, Cancel);
        }

        // The clock stands still: nothing can wait for a gap's patience to run out, so one catch-up must read past them all.
        var projection = new TimelineProjection(store, null, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        await projection.CatchUpAsync(Cancel);

        Assert.Equal(15_001, projection.EventsRead);
        Assert.Equal(15_001, projection.Current.Changes.Count);
    }

    [Fact]
    public async Task Partitions_TogetherEqualOneBuildOfEveryFact()
    {
        var (events, model) = await SimulatedAsync();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var projection = await FeedAsync(database, model, events.Chunk(1500), catchUpBetween: true);

        await using var store = await database.OpenStoreAsync();
        var facts = (await store.ReadAfterAsync(0, int.MaxValue, Cancel)).Select(e => FactReader.Read(e)).OfType<Fact>().ToList();
        var whole = TimelineBuilder.Build(facts, model);

        Assert.True(projection.Partitions > 3, $"only {projection.Partitions} partitions");
        Assert.Equal(TimelineDigest.Compute(whole), TimelineDigest.Compute(projection.Current));
    }

    [Fact]
    public async Task Metrics_MergedFromPartitions_EqualMetricsOfOneBuild()
    {
        // Metrics are derived per partition and merged; partitions an event did not touch keep what they derived before.
        var (events, model) = await SimulatedAsync();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        var projection = new TimelineProjection(store, model, TimeProvider.System);
        var start = ThreeWeeks.Start;
        var queries = new[]
        {
            new MetricsQuery(start, start.AddDays(ThreeWeeks.Days)),
            new MetricsQuery(start.AddDays(7), start.AddDays(14)),
            new MetricsQuery(start, start.AddDays(ThreeWeeks.Days), Team: model.Teams[0].Id),
            new MetricsQuery(start, start.AddDays(ThreeWeeks.Days), Service: model.Services[1].Id),
            new MetricsQuery(start, start.AddDays(ThreeWeeks.Days), Environment: "staging"),
        };
        foreach (var batch in events.Chunk(1500))
        {
            await store.AppendAsync(batch, DateTimeOffset.UnixEpoch, Cancel);
            await projection.CatchUpAsync(Cancel);
            foreach (var query in queries)
            {
                MetricsAnswers.Dora(projection.Current, model, query, "week", true, projection.Unmapped);
                MetricsAnswers.Flow(projection.Current, model, query, projection.Unmapped);
            }
        }

        var facts = (await store.ReadAfterAsync(0, int.MaxValue, Cancel)).Select(e => FactReader.Read(e)).OfType<Fact>().ToList();
        var whole = TimelineBuilder.Build(facts, model);

        Assert.True(projection.Current.Parts.Count > 3, $"only {projection.Current.Parts.Count} partitions");
        var unmapped = projection.Unmapped;
        foreach (var query in queries)
        {
            var merged = MetricsAnswers.Dora(projection.Current, model, query, "week", true, unmapped);
            Assert.True(merged.DeploymentFrequency.Deployments > 0, $"no deployment for {query}");
            Assert.Equal(Json(MetricsAnswers.Dora(whole, model, query, "week", true, unmapped)), Json(merged));
            Assert.Equal(Json(MetricsAnswers.Flow(whole, model, query, unmapped)), Json(MetricsAnswers.Flow(projection.Current, model, query, unmapped)));
            Assert.Equal(Json(DoraCalculator.DeploymentsBehind(whole, model, query)), Json(DoraCalculator.DeploymentsBehind(projection.Current, model, query)));
            Assert.Equal(Json(DoraCalculator.ChangesBehind(whole, model, query)), Json(DoraCalculator.ChangesBehind(projection.Current, model, query)));
        }

        Assert.Equal(whole.Deployments.Select(d => d.Id), projection.Current.Deployments.Select(d => d.Id));
        Assert.Equal(whole.Incidents.Select(i => i.Id), projection.Current.Incidents.Select(i => i.Id));
    }

    private sealed record TestKey : DerivedKey<object>;

    [Fact]
    public async Task AfterOneEvent_OnlyThePartitionItTouchedIsDerivedAgain()
    {
        var (events, model) = await SimulatedAsync();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        await store.AppendAsync(events, DateTimeOffset.UnixEpoch, Cancel);
        var projection = new TimelineProjection(store, model, TimeProvider.System);
        await projection.CatchUpAsync(Cancel);
        var derived = 0;
        object Derive(TimelineSnapshot part)
        {
            derived++;
            return new object();
        }

        var before = projection.Current.Derived.PerPartition(new TestKey(), Derive);
        Assert.Equal(projection.Partitions, derived);
        var repository = model.Services[0].Repositories[0];
        await store.AppendAsync(
            [new EventDraft("/test", "one-more", "dev.cdevents.change.created.0.4.0", repository + "#one-more", ThreeWeeks.Start.AddDays(3), "0.5.0", true, "test",
                "{\"context\": {\"id\": \"one-more\"}, \"subject\": {\"id\": \"" + repository + "#one-more\", \"content\": {\"repository\": {\"id\": \"" + repository + "\"}}}}")],
            DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);
        derived = 0;
        var after = projection.Current.Derived.PerPartition(new TestKey(), Derive);

        Assert.Equal(1, derived);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before.Count - 1, after.Count(before.Contains));
        Assert.True(projection.Current.Changes.ContainsKey(repository + "#one-more"));
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    [Fact]
    public async Task SimulatedHistory_EveryChangeHasATimelineOnTheFlow()
    {
        var (events, model) = await SimulatedAsync();
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var snapshot = (await FeedAsync(database, model, [events], catchUpBetween: false)).Current;

        var created = events.Where(e => e.Type.StartsWith("dev.cdevents.change.created.", StringComparison.Ordinal)).Select(e => e.SubjectId).ToHashSet();
        Assert.Equal(created.Order(), snapshot.Changes.Keys.Order());
        var delivered = snapshot.Changes.Values.Where(c => c.State == ChangeState.Delivered).ToList();
        Assert.True(delivered.Count > 200);
        Assert.All(delivered, c => Assert.Equal(StageStatus.Done, c.Stages[^1].Status));
        Assert.Contains(delivered, c => c.Stages.All(s => s.Status == StageStatus.Done));
        Assert.Contains(delivered, c => c.Stages.Any(s => s.Status == StageStatus.Skipped));
        Assert.All(snapshot.Changes.Values.Where(c => c.State == ChangeState.Merged), c => Assert.NotNull(c.CurrentStage));
        Assert.All(snapshot.Deployments.Where(d => d.Production && !d.IsRollback && d.ChangeId is null), d => Assert.Empty(d.Delivered));
    }
}

using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Storage;

public sealed class EventStoreTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 21, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static EventDraft Draft(string id, string source = "/ci", string payload = "{}") =>
        new(source, id, "dev.cdevents.build.finished.0.2.0", "build-1", new DateTimeOffset(2026, 3, 20, 14, 27, 5, 315, TimeSpan.Zero),
            "0.5.0", Mapped: true, "api", payload);

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Append_NewEvents_StoresEachWithItsFields(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var payload = "{\"context\": {\"id\": \"a\"},\n  \"note\": \"caf\\u00e9 ☕ \\\"quoted\\\"\"}";

        var result = await store.AppendAsync([Draft("a", payload: payload), Draft("b")], Received, Cancel);

        Assert.Equal(new AppendResult(2, 0), result);
        var newest = await store.ListNewestAsync(10, Cancel);
        Assert.Equal(["b", "a"], newest.Select(e => e.Event.Id));
        var first = newest[1];
        Assert.Equal(payload, first.Event.Payload);
        Assert.Equal(Received, first.ReceivedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 14, 27, 5, 315, TimeSpan.Zero), first.Event.Timestamp);
        Assert.Equal(("/ci", "dev.cdevents.build.finished.0.2.0", "build-1", "0.5.0", true, "api"),
            (first.Event.Source, first.Event.Type, first.Event.SubjectId, first.Event.SpecVersion, first.Event.Mapped, first.Event.Origin));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Append_RepeatedSourceAndId_StoresOnce(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        await store.AppendAsync([Draft("a", payload: "{\"first\":true}")], Received, Cancel);

        var again = await store.AppendAsync([Draft("a", payload: "{\"second\":true}"), Draft("a", source: "/other"), Draft("c"), Draft("c")], Received, Cancel);

        Assert.Equal(new AppendResult(2, 2), again);
        Assert.Equal(3, await store.CountAsync(Cancel));
        var kept = (await store.ListNewestAsync(10, Cancel)).Single(e => e.Event is { Id: "a", Source: "/ci" });
        Assert.Equal("{\"first\":true}", kept.Event.Payload);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Append_LargeBatchWithRepeats_StoresEachOnceInOrderWithItsFields(string provider)
    {
        // A batch this large takes PostgreSQL's bulk path (COPY, then one INSERT … SELECT): same results as row by row.
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        await store.AppendAsync([Draft("e5", payload: "{\"first\":true}"), Draft("e6")], Received, Cancel);
        var batch = Enumerable.Range(0, 200).Select(i => Draft("e" + i, payload: $"{{\"n\": {i}, \"text\": \"caf\u00e9 \\\"{i}\\\"\"}}")).ToList();
        batch.AddRange(Enumerable.Range(0, 10).Select(i => Draft("e" + (i * 3))));
        batch.Add(Draft("nothing", payload: "{}") with { SubjectId = null, SpecVersion = null });

        var result = await store.AppendAsync(batch, Received, Cancel);

        Assert.Equal(new AppendResult(199, 12), result);
        var stored = (await store.ReadAfterAsync(0, 1000, Cancel)).ToList();
        Assert.Equal(["e5", "e6", .. Enumerable.Range(0, 200).Where(i => i is not (5 or 6)).Select(i => "e" + i), "nothing"], stored.Select(e => e.Event.Id));
        Assert.Equal("{\"first\":true}", stored[0].Event.Payload);
        Assert.Equal("{\"n\": 7, \"text\": \"caf\u00e9 \\\"7\\\"\"}", stored.Single(e => e.Event.Id == "e7").Event.Payload);
        Assert.Equal((null, null, Received), (stored[^1].Event.SubjectId, stored[^1].Event.SpecVersion, stored[^1].ReceivedAt));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 14, 27, 5, 315, TimeSpan.Zero), stored[^1].Event.Timestamp);
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Append_Cancelled_StoresNothingOfTheBatch(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.AppendAsync([Draft("a"), Draft("b")], Received, cancelled.Token));

        Assert.Equal(0, await store.CountAsync(Cancel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reopen_AfterDispose_KeepsEveryEventAndSchemaVersion(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        int version;
        await using (var store = await database.OpenStoreAsync())
        {
            await store.AppendAsync([Draft("a", payload: "[1, 2,\t3]")], Received, Cancel);
            version = await store.MigrateAsync(Cancel);
        }

        await using var reopened = await database.OpenStoreAsync();

        Assert.Equal(version, await reopened.MigrateAsync(Cancel));
        Assert.Equal("[1, 2,\t3]", Assert.Single(await reopened.ListNewestAsync(5, Cancel)).Event.Payload);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Append_ConcurrentBatches_StoresEveryEventOnce(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var batches = Enumerable.Range(0, 8)
            .Select(b => Enumerable.Range(0, 50).Select(i => Draft($"e{(b * 25) + i}")).ToList())
            .ToList();

        var results = await Task.WhenAll(batches.Select(batch => store.AppendAsync(batch, Received, Cancel)));

        Assert.Equal(225, await store.CountAsync(Cancel));
        Assert.Equal(225, results.Sum(r => r.Accepted));
        Assert.Equal(400 - 225, results.Sum(r => r.Duplicates));
    }

    [Fact]
    public void Factory_PostgresUri_BecomesKeywordForm()
    {
        var keywordForm = EventStoreFactory.ToKeywordForm("postgres://app:s%40cret@db.local:6543/throughline?sslmode=disable");

        Assert.Contains("Host=db.local", keywordForm, StringComparison.Ordinal);
        Assert.Contains("Port=6543", keywordForm, StringComparison.Ordinal);
        Assert.Contains("Password=s@cret", keywordForm, StringComparison.Ordinal);
        Assert.Contains("Database=throughline", keywordForm, StringComparison.Ordinal);
        Assert.True(EventStoreFactory.IsPostgres("Host=localhost;Database=x"));
        Assert.False(EventStoreFactory.IsPostgres("data/throughline.db"));
    }
}

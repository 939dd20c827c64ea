using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed class FactCacheTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Three stored change events, each the start of a partition of its own (numbered 1, 2, 3) in <paramref name="cache"/>.</summary>
    private static async Task<IReadOnlyList<StoredEvent>> HoldThreeAsync(IEventStore store, FactCache cache)
    {
        await store.AppendAsync([Facts.ChangeCreatedDraft("1"), Facts.ChangeCreatedDraft("2"), Facts.ChangeCreatedDraft("3")], DateTimeOffset.UnixEpoch, Cancel);
        var stored = await store.ReadAfterAsync(0, 10, Cancel);
        for (var partition = 1; partition <= 3; partition++)
        {
            cache.Start(partition);
            cache.Add(partition, FactReader.Read(stored[partition - 1])!);
        }

        return stored;
    }

    [Fact]
    public async Task Trim_OverCapacity_LetsGoOfTheLeastRecentlyUsedAndReadsThemBack()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        var cache = new FactCache(store, new StringPool(), capacity: 2);
        var stored = await HoldThreeAsync(store, cache);

        cache.Trim();
        var held = cache.Count;
        var readBack = await cache.FactsOfAsync(1, [stored[0].Sequence], Cancel);

        Assert.Equal(2, held);
        Assert.Equal("acme/x#1", Assert.Single(readBack).ChangeId);
        Assert.Equal(1, cache.Reread);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public async Task Merge_BothHeld_KeepsTheFactsTogether_OneLetGo_LetsGoOfBoth()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        var cache = new FactCache(store, new StringPool(), capacity: 2);
        await HoldThreeAsync(store, cache);

        cache.Merge(2, 3);
        var joined = (await cache.FactsOfAsync(2, [], Cancel)).Select(f => f.ChangeId).ToList();
        cache.Trim();
        cache.Merge(2, 1);

        Assert.Equal(["acme/x#2", "acme/x#3"], joined);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Reread);
    }
}

using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Storage;

public sealed class ModelVersionStoreTests
{
    private static readonly DateTimeOffset Loaded = new(2026, 3, 21, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Record_NewContent_NumberedFromOneWithItsTextAndMetadata(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();

        var first = await store.RecordModelVersionAsync("organization: A\n", "hash-a", Loaded, "file /etc/throughline.yaml", Cancel);
        var second = await store.RecordModelVersionAsync("organization: B\n", "hash-b", Loaded.AddMinutes(5), "api", Cancel);

        Assert.Equal(new ModelVersionResult(new ModelVersion(1, "hash-a", Loaded, "file /etc/throughline.yaml"), true), first);
        Assert.Equal(new ModelVersionResult(new ModelVersion(2, "hash-b", Loaded.AddMinutes(5), "api"), true), second);
        Assert.Equal([first.Version, second.Version], await store.ListModelVersionsAsync(Cancel));
        Assert.Equal(second.Version, await store.LatestModelVersionAsync(Cancel));
        Assert.Equal(new StoredModelVersion(first.Version, "organization: A\n"), await store.FindModelVersionAsync(1, Cancel));
        Assert.Null(await store.FindModelVersionAsync(3, Cancel));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Record_SameContentAsTheLatest_NotANewVersion(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var first = await store.RecordModelVersionAsync("organization: A\n", "hash-a", Loaded, "api", Cancel);

        var again = await store.RecordModelVersionAsync("organization: A\n", "hash-a", Loaded.AddHours(1), "signal", Cancel);
        await store.RecordModelVersionAsync("organization: B\n", "hash-b", Loaded.AddHours(2), "api", Cancel);
        var back = await store.RecordModelVersionAsync("organization: A\n", "hash-a", Loaded.AddHours(3), "api", Cancel);

        Assert.Equal(new ModelVersionResult(first.Version, false), again);
        Assert.Equal((3L, true), (back.Version.Number, back.Added));
        Assert.Equal(3, (await store.ListModelVersionsAsync(Cancel)).Count);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task List_NoVersion_Empty(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();

        Assert.Empty(await store.ListModelVersionsAsync(Cancel));
        Assert.Null(await store.LatestModelVersionAsync(Cancel));
    }
}

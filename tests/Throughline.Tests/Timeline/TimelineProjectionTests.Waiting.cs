using Microsoft.Extensions.Time.Testing;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>Awaiting the timeline: what <see cref="TimelineProjection.WaitForCatchUpAsync"/> promises to tests and readers.</summary>
public sealed partial class TimelineProjectionTests
{
    [Fact]
    public async Task WaitForCatchUp_CompletesWithTheNextCatchUpNotAnEarlierOne()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var store = await database.OpenStoreAsync();
        var projection = new TimelineProjection(store, null, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        await store.AppendAsync([Facts.ChangeCreatedDraft("before")], DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);

        var waiting = projection.WaitForCatchUpAsync(Cancel);
        var waitedBeforeTheNext = waiting.IsCompleted;
        await store.AppendAsync([Facts.ChangeCreatedDraft("stored")], DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);
        await waiting;

        Assert.False(waitedBeforeTheNext, "a catch-up finished before the call counted");
        Assert.Equal(["acme/x#before", "acme/x#stored"], Changes(projection));
        Assert.Equal(await SequenceOfAsync(store, "stored"), projection.Watermark);
    }
}

using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>
/// Gaps in sequence numbers: a number skipped by a reader is looked up again until <see cref="TimelineProjection.GapPatience"/>
/// has passed on the projection's clock, then let go. The clock here is a <see cref="FakeTimeProvider"/>: patience passes
/// when a test says so, never while it waits.
/// </summary>
/// <remarks>
/// A gap that fills late needs a number handed out before its insert commits, which only PostgreSQL does: SQLite numbers
/// and commits one writer at a time, so a reader there never sees a number before a lower one. Those tests run on
/// PostgreSQL alone; a gap that never fills happens on both engines (a replay deletes re-translated events).
/// </remarks>
public sealed partial class TimelineProjectionTests
{
    private static async Task<long> SequenceOfAsync(IEventStore store, string id) =>
        (await store.ReadAfterAsync(0, 1000, Cancel)).Single(e => e.Event.Id == id).Sequence;

    private static IReadOnlyList<string> Changes(TimelineProjection projection) => [.. projection.Current.Changes.Keys.Order(StringComparer.Ordinal)];

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CatchUp_GapNeverFilled_LetGoAfterPatienceSoTheWatermarkMovesOn(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var delivery = new DeliveryDraft("github", "delivery-1", "github", DateTimeOffset.UnixEpoch, "{}", "{}"u8.ToArray());
        var stored = await store.AppendDeliveryAsync(delivery, [Facts.ChangeCreatedDraft("old-1"), Facts.ChangeCreatedDraft("old-2")], Cancel);
        var deleted = (await store.ListDeliveryEventsAsync(stored.Sequence!.Value, Cancel)).Min(e => e.Sequence);
        await store.AppendAsync([Facts.ChangeCreatedDraft("kept")], DateTimeOffset.UnixEpoch, Cancel);
        Assert.True(await store.ReplaceTranslationAsync(new StoredDelivery(stored.Sequence.Value, delivery), [Facts.ChangeCreatedDraft("new")], Cancel));
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var projection = new TimelineProjection(store, null, clock);

        await projection.CatchUpAsync(Cancel);
        var (readPastTheGap, heldBack) = (Changes(projection), projection.Watermark);
        clock.Advance(TimelineProjection.GapPatience - TimeSpan.FromSeconds(1));
        await store.AppendAsync([Facts.ChangeCreatedDraft("within")], DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);
        var stillHeldBack = projection.Watermark;
        clock.Advance(TimeSpan.FromSeconds(1));
        await projection.CatchUpAsync(Cancel);
        var letGo = projection.Watermark;
        await store.AppendAsync([Facts.ChangeCreatedDraft("after")], DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);

        Assert.Equal(["acme/x#kept", "acme/x#new"], readPastTheGap);
        Assert.Equal(deleted - 1, heldBack);
        Assert.Equal(deleted - 1, stillHeldBack);
        Assert.Equal(await SequenceOfAsync(store, "within"), letGo);
        Assert.Equal(await SequenceOfAsync(store, "after"), projection.Watermark);
        Assert.Equal(["acme/x#after", "acme/x#kept", "acme/x#new", "acme/x#within"], Changes(projection));
    }

    [Fact]
    public async Task CatchUp_PostgresInsertCommittingWithinPatience_IsReadIn()
    {
        await using var scene = await SlowInsertScene.ArrangeAsync();
        var (store, clock, projection, slow) = (scene.Store, scene.Clock, scene.Projection, scene.Slow);

        await projection.CatchUpAsync(Cancel);
        var (beforeCommit, heldBack) = (Changes(projection), projection.Watermark);
        clock.Advance(TimelineProjection.GapPatience / 2);
        await projection.CatchUpAsync(Cancel);
        var (lookedUpAgain, stillHeldBack) = (Changes(projection), projection.Watermark);
        clock.Advance((TimelineProjection.GapPatience / 2) - TimeSpan.FromMilliseconds(1));
        await slow.CommitAsync();
        await projection.CatchUpAsync(Cancel);

        Assert.Equal(["acme/x#first", "acme/x#later"], beforeCommit);
        Assert.Equal(slow.Sequence - 1, heldBack);
        Assert.Equal(beforeCommit, lookedUpAgain);
        Assert.Equal(slow.Sequence - 1, stillHeldBack);
        Assert.Equal(["acme/x#first", "acme/x#later", "acme/x#slow"], Changes(projection));
        Assert.Equal(await SequenceOfAsync(store, "later"), projection.Watermark);
    }

    [Fact]
    public async Task CatchUp_PostgresInsertCommittingAfterPatience_IsLeftForTheNextStart()
    {
        // The trade-off GapPatience names: a running server takes a number still missing after it as never stored, so that
        // the watermark moves on; an insert that commits later still is read by the next start (or `throughline rebuild`).
        await using var scene = await SlowInsertScene.ArrangeAsync();
        var (store, clock, projection, slow) = (scene.Store, scene.Clock, scene.Projection, scene.Slow);

        await projection.CatchUpAsync(Cancel);
        var heldBack = projection.Watermark;
        clock.Advance(TimelineProjection.GapPatience);
        await projection.CatchUpAsync(Cancel);
        var letGo = projection.Watermark;
        await slow.CommitAsync();
        await store.AppendAsync([Facts.ChangeCreatedDraft("after")], DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);
        var restarted = new TimelineProjection(store, null, clock);
        await restarted.CatchUpAsync(Cancel);

        Assert.Equal(slow.Sequence - 1, heldBack);
        Assert.Equal(await SequenceOfAsync(store, "later"), letGo);
        Assert.Equal(await SequenceOfAsync(store, "after"), projection.Watermark);
        Assert.Equal(["acme/x#after", "acme/x#first", "acme/x#later"], Changes(projection));
        Assert.Equal(["acme/x#after", "acme/x#first", "acme/x#later", "acme/x#slow"], Changes(restarted));
    }

    /// <summary>
    /// On PostgreSQL: "first" stored, "slow" inserted in a transaction left open (holding its sequence number), "later"
    /// stored after it; a projection on a clock that moves only when a test says so.
    /// </summary>
    private sealed class SlowInsertScene(TestDatabase database, IEventStore store, FakeTimeProvider clock, TimelineProjection projection, UncommittedInsert slow) : IAsyncDisposable
    {
        public IEventStore Store => store;

        public FakeTimeProvider Clock => clock;

        public TimelineProjection Projection => projection;

        public UncommittedInsert Slow => slow;

        public static async Task<SlowInsertScene> ArrangeAsync()
        {
            var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
            var store = await database.OpenStoreAsync();
            var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
            await store.AppendAsync([Facts.ChangeCreatedDraft("first")], DateTimeOffset.UnixEpoch, Cancel);
            var slow = await UncommittedInsert.BeginAsync(database, Facts.ChangeCreatedDraft("slow"));
            await store.AppendAsync([Facts.ChangeCreatedDraft("later")], DateTimeOffset.UnixEpoch, Cancel);
            return new SlowInsertScene(database, store, clock, new TimelineProjection(store, null, clock), slow);
        }

        public async ValueTask DisposeAsync()
        {
            await slow.DisposeAsync();
            await store.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    /// <summary>An event inserted in a PostgreSQL transaction left open: it holds a sequence number nobody can read yet, as a slow concurrent writer does.</summary>
    private sealed class UncommittedInsert(NpgsqlConnection connection, NpgsqlTransaction transaction, long sequence) : IAsyncDisposable
    {
        public long Sequence { get; } = sequence;

        public static async Task<UncommittedInsert> BeginAsync(TestDatabase database, EventDraft draft)
        {
            var connection = new NpgsqlConnection(database.Database);
            await connection.OpenAsync(Cancel);
            var transaction = await connection.BeginTransactionAsync(Cancel);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO events (source, event_id, type, subject_id, occurred_at_us, received_at_us, spec_version, mapped, origin, payload) " +
                "VALUES (@source, @id, @type, @subject, @occurred, @received, @spec, @mapped, @origin, @payload) RETURNING seq",
                connection, transaction);
            insert.Parameters.AddWithValue("source", draft.Source);
            insert.Parameters.AddWithValue("id", draft.Id);
            insert.Parameters.AddWithValue("type", draft.Type);
            insert.Parameters.AddWithValue("subject", draft.SubjectId!);
            insert.Parameters.AddWithValue("occurred", SqlEventStore.ToMicroseconds(draft.Timestamp));
            insert.Parameters.AddWithValue("received", SqlEventStore.ToMicroseconds(draft.Timestamp));
            insert.Parameters.AddWithValue("spec", draft.SpecVersion!);
            insert.Parameters.AddWithValue("mapped", draft.Mapped);
            insert.Parameters.AddWithValue("origin", draft.Origin);
            insert.Parameters.AddWithValue("payload", draft.Payload);
            var sequence = (long)(await insert.ExecuteScalarAsync(Cancel))!;
            return new UncommittedInsert(connection, transaction, sequence);
        }

        public Task CommitAsync() => transaction.CommitAsync(Cancel);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>
/// Gaps in sequence numbers: a number skipped by a reader is looked up again at every catch-up until the store says no
/// writer that could hold it is still in flight (<see cref="IEventStore.WritersAsync"/>), then let go. No clock decides: an
/// insert whose transaction stays open for an hour is still read in when it commits.
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

    /// <summary>Catches up until the watermark reaches <paramref name="sequence"/>: a gap is let go once every writer in flight when
    /// it was seen has ended, and on the test run's shared PostgreSQL server other tests' writers count too.</summary>
    private static Task<long> WatermarkReachesAsync(TimelineProjection projection, long sequence) =>
        Eventually.HoldsAsync(
            $"the watermark to reach {sequence}",
            async token =>
            {
                await projection.CatchUpAsync(token);
                return projection.Watermark;
            },
            watermark => watermark >= sequence,
            TimeSpan.FromSeconds(30));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CatchUp_GapNeverFilled_LetGoOnceNoWriterCouldStoreIt(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var delivery = new DeliveryDraft("github", "delivery-1", "github", DateTimeOffset.UnixEpoch, "{}", "{}"u8.ToArray());
        var stored = await store.AppendDeliveryAsync(delivery, [Facts.ChangeCreatedDraft("old-1"), Facts.ChangeCreatedDraft("old-2")], Cancel);
        await store.AppendAsync([Facts.ChangeCreatedDraft("kept")], DateTimeOffset.UnixEpoch, Cancel);
        Assert.True(await store.ReplaceTranslationAsync(new StoredDelivery(stored.Sequence!.Value, delivery), [Facts.ChangeCreatedDraft("new")], Cancel));
        var projection = new TimelineProjection(store, null, new FakeTimeProvider(DateTimeOffset.UnixEpoch));

        await projection.CatchUpAsync(Cancel);
        var readPastTheGap = Changes(projection);
        var watermark = await WatermarkReachesAsync(projection, await SequenceOfAsync(store, "new"));
        await store.AppendAsync([Facts.ChangeCreatedDraft("after")], DateTimeOffset.UnixEpoch, Cancel);
        await WatermarkReachesAsync(projection, await SequenceOfAsync(store, "after"));

        // The replay deleted old-1 and old-2: once no writer that could hold them is in flight, their numbers are let go.
        Assert.Equal(["acme/x#kept", "acme/x#new"], readPastTheGap);
        Assert.Equal(await SequenceOfAsync(store, "new"), watermark);
        Assert.Equal(await SequenceOfAsync(store, "after"), projection.Watermark);
        Assert.Equal(["acme/x#after", "acme/x#kept", "acme/x#new"], Changes(projection));
    }

    [Fact]
    public async Task CatchUp_PostgresInsertInFlight_HeldBackThenReadInWhenItCommits()
    {
        await using var scene = await SlowInsertScene.ArrangeAsync();
        var (store, clock, projection, slow) = (scene.Store, scene.Clock, scene.Projection, scene.Slow);

        await projection.CatchUpAsync(Cancel);
        var (beforeCommit, heldBack) = (Changes(projection), projection.Watermark);
        clock.Advance(TimeSpan.FromSeconds(5));
        await projection.CatchUpAsync(Cancel);
        var (lookedUpAgain, stillHeldBack) = (Changes(projection), projection.Watermark);
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
    public async Task CatchUp_PostgresInsertOpenForAnHour_NeverSkipped()
    {
        // Before, a number still missing 10 s after a later one was read was let go until the next start: a slow transaction's
        // event was missing from a running server. Now only the writer's end decides, however long it takes.
        await using var scene = await SlowInsertScene.ArrangeAsync();
        var (store, clock, projection, slow) = (scene.Store, scene.Clock, scene.Projection, scene.Slow);

        await projection.CatchUpAsync(Cancel);
        clock.Advance(TimeSpan.FromHours(1));
        await store.AppendAsync([Facts.ChangeCreatedDraft("after")], DateTimeOffset.UnixEpoch, Cancel);
        await projection.CatchUpAsync(Cancel);
        var (whileOpen, heldBack) = (Changes(projection), projection.Watermark);
        await slow.CommitAsync();
        await projection.CatchUpAsync(Cancel);

        Assert.Equal(["acme/x#after", "acme/x#first", "acme/x#later"], whileOpen);
        Assert.Equal(slow.Sequence - 1, heldBack);
        Assert.Equal(["acme/x#after", "acme/x#first", "acme/x#later", "acme/x#slow"], Changes(projection));
        Assert.Equal(await SequenceOfAsync(store, "after"), projection.Watermark);
    }

    [Fact]
    public async Task CatchUp_PostgresInsertRolledBack_LetGoOnceItsWriterEnded()
    {
        await using var scene = await SlowInsertScene.ArrangeAsync();
        var (store, projection, slow) = (scene.Store, scene.Projection, scene.Slow);

        await projection.CatchUpAsync(Cancel);
        var heldBack = projection.Watermark;
        await slow.RollbackAsync();
        var letGo = await WatermarkReachesAsync(projection, await SequenceOfAsync(store, "later"));

        Assert.Equal(slow.Sequence - 1, heldBack);
        Assert.Equal(await SequenceOfAsync(store, "later"), letGo);
        Assert.Equal(["acme/x#first", "acme/x#later"], Changes(projection));
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

        public Task RollbackAsync() => transaction.RollbackAsync(Cancel);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

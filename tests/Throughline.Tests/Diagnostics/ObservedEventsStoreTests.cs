using Throughline.Access;
using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Diagnostics;

/// <summary>What the diagnostics read from the store: every event's headers (caught up in pages) and refused deliveries from the audit log.</summary>
public sealed class ObservedEventsStoreTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 21, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static EventDraft Draft(int n, string source, string origin, bool mapped) =>
        new(source, "e" + n, "dev.cdevents.change.merged.0.3.0", "x", Received.AddHours(-n), "0.5.0", mapped, origin, "{}");

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Log_ReadsEachEventsHeadersWithTheActorAndServiceTheTimelineReads_UpToTheSequenceAsked(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        const string Reviewed = """
            {"context": {"specversion": "0.5.0", "id": "r1", "source": "/hooks/github", "type": "dev.cdevents.change.reviewed.0.3.0", "timestamp": "2026-03-21T06:00:00Z"},
             "subject": {"id": "acme/shop#7", "content": {}}, "customData": {"reviewer": "alice"}}
            """;
        await store.AppendAsync(
            [
                new EventDraft("/hooks/github", "r1", "dev.cdevents.change.reviewed.0.3.0", "acme/shop#7", Received.AddHours(-2), "0.5.0", true, "hook:github", Reviewed),
                new EventDraft("/argocd/prod", "d1", "dev.cdevents.service.deployed.0.2.0", "checkout", Received.AddHours(-1), "0.5.0", true, "api", Some.CdEvent(id: "d1")),
                Draft(3, "https://ci.example.com/jenkins", "api", false),
                Draft(4, "/ci", "cli", true),
            ], Received, Cancel);
        var all = await store.ReadAfterAsync(0, 10, Cancel);
        var log = new ObservedEventLog();

        await log.CatchUpAsync(store, all[2].Sequence, Cancel);

        Assert.Equal(
            [
                new ObservedEvent(all[0].Sequence, "/hooks/github", "hook:github", "dev.cdevents.change.reviewed.0.3.0", Received.AddHours(-2), true, Actor: "alice"),
                new ObservedEvent(all[1].Sequence, "/argocd/prod", "api", "dev.cdevents.service.deployed.0.2.0", Received.AddHours(-1), true, Service: "checkout"),
                new ObservedEvent(all[2].Sequence, "https://ci.example.com/jenkins", "api", "dev.cdevents.change.merged.0.3.0", Received.AddHours(-3), false),
            ],
            log.View());
        Assert.Equal(all[2].Sequence, log.Through);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Log_CatchesUpInPages_AndAViewTakenEarlierKeepsItsEvents(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        var total = ObservedEventLog.PageSize + 7;
        await store.AppendAsync([.. Enumerable.Range(1, total).Select(n => Draft(n, n % 2 == 0 ? "/a" : "/b", "api", n % 3 != 0))], Received, Cancel);
        var last = (await store.ListNewestAsync(1, Cancel))[0].Sequence;
        var log = new ObservedEventLog();

        var first = await log.CatchUpAsync(store, last - 7, Cancel);
        var early = log.View();
        var second = await log.CatchUpAsync(store, last, Cancel);
        var late = log.View();

        Assert.Equal((ObservedEventLog.PageSize, 7, last), (first, second, log.Through));
        Assert.Equal(ObservedEventLog.PageSize, early.Count);
        Assert.Equal(total, late.Count);
        Assert.Equal(late.Take(early.Count), early);
        Assert.Equal(new ObservedEvent(last, "/b", "api", "dev.cdevents.change.merged.0.3.0", Received.AddHours(-total), Mapped: false), late[^1]); // 50,007: odd, a multiple of 3
        Assert.Equal(total / 3, late.Count(e => !e.Mapped));
        Assert.Equal(0, await log.CatchUpAsync(store, last, Cancel)); // nothing new: nothing read twice
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RefusedDeliveries_CountsRefusalsAndHeldBackLinesInTheWindowPerTool(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        AuditDraft Line(int minutes, string actor, string action, string what) => new(Received.AddMinutes(minutes), actor, action, what, "10.0.0.9", "bad signature");
        foreach (var line in new[]
        {
            Line(-90, AuditActions.WebhookSender("github"), AuditActions.RequestRefused, "POST /hooks/github"), // before the window
            Line(1, AuditActions.WebhookSender("github"), AuditActions.RequestRefused, "POST /hooks/github"),
            Line(2, AuditActions.WebhookSender("github"), AuditActions.RefusalsHeldBack, AuditActions.HeldBack(12)),
            Line(3, AuditActions.WebhookSender("gitlab"), AuditActions.RequestRefused, "POST /hooks/gitlab"),
            Line(4, "token t1 (ci)", AuditActions.RequestRefused, "POST /api/events"), // not a webhook
            Line(5, AuditActions.WebhookSender("gitlab"), AuditActions.SignInRefused, "sign-in"), // not a refused delivery
            Line(120, AuditActions.WebhookSender("gitlab"), AuditActions.RequestRefused, "POST /hooks/gitlab"), // after it
        })
        {
            await store.AppendAuditAsync(line, Cancel);
        }

        var refused = await Diagnoses.RefusedDeliveriesAsync(store, new MetricsQuery(Received.AddHours(-1), Received.AddHours(1)), Cancel);

        Assert.Equal(new Dictionary<string, int> { ["github"] = 13, ["gitlab"] = 1 }, refused);
    }
}

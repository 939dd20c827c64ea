using System.Text;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class HooksApiTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PagerDutyOpsgenieAlertmanager_EveryFixture_AcceptedAndListed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);

        foreach (var tool in new[] { "pagerduty", "opsgenie", "alertmanager" })
        {
            await PostEveryFixtureAsync(server, tool, (_, body) => Hooks.PostAsync(server, tool, body));
        }

        var (_, items) = await Hooks.EventsAsync(server);
        Assert.All(items, i => Assert.True(i.GetProperty("mapped").GetBoolean(), i.Text("type")));
    }

    [Fact]
    public async Task PagerDuty_SeveralSignaturesOneRight_IncidentsWithService()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);
        var triggered = Hooks.Fixture("pagerduty/v3/triggered_v3.json");

        await Hooks.PostAsync(server, "pagerduty", triggered, ("X-PagerDuty-Signature", $"v1={new string('0', 64)},v1={Hooks.Sign(triggered)}"));
        await Hooks.PostAsync(server, "pagerduty", Hooks.Fixture("pagerduty/v3/resolved_v3.json"));
        await Hooks.PostAsync(server, "pagerduty", Hooks.Fixture("pagerduty/v3/escalate_v3.json"));

        var detected = await Hooks.SingleEventAsync(server, "pagerduty", "01BZYIL05THJDFF2Y08X9SVMTU");
        Assert.Equal(("dev.cdevents.incident.detected.0.3.0", "PFQZPSY"), (detected.Text("type"), detected.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2021-06-04T13:35:29.781Z"), detected.GetProperty("timestamp").GetDateTimeOffset());
        var content = detected.GetProperty("payload").GetProperty("subject").GetProperty("content");
        Assert.Equal(("pig208", "production"), (content.Text("service", "id"), content.Text("environment", "id")));
        var resolved = await Hooks.SingleEventAsync(server, "pagerduty", "01BZYH1JJY09P9LEIST8HG2PMN");
        Assert.Equal(("dev.cdevents.incident.resolved.0.3.0", "PCPZE64"), (resolved.Text("type"), resolved.Text("subjectId")));
        var escalated = await Hooks.SingleEventAsync(server, "pagerduty", "01GI0JWUU28G8XE5M6IIT4BZ39");
        Assert.Equal(DateTimeOffset.Parse("2026-04-01T02:07:30Z"), escalated.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("Default Service", escalated.GetProperty("payload").Text("subject", "content", "service", "id"));
    }

    [Fact]
    public async Task Opsgenie_CreateAndClose_EpochMillisecondsAndNanoseconds()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        var created = await Hooks.PostAsync(server, "opsgenie", Hooks.Fixture("opsgenie/create.json"));
        var closed = await Hooks.PostAsync(server, "opsgenie", Hooks.Fixture("opsgenie/close.json"));
        var unknown = await Hooks.PostAsync(server, "opsgenie", Encoding.UTF8.GetBytes("""{"action":"AddNote","alert":{"alertId":"x"}}"""));

        var detected = await Hooks.SingleEventAsync(server, "opsgenie", created.Text("deliveryId")!);
        Assert.Equal(("dev.cdevents.incident.detected.0.3.0", "ec03dad6-62c8-4c94-b38b-d88f398e900f"), (detected.Text("type"), detected.Text("subjectId")));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1502709956288), detected.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("Server", detected.GetProperty("payload").Text("subject", "content", "service", "id"));
        var resolved = await Hooks.SingleEventAsync(server, "opsgenie", closed.Text("deliveryId")!);
        Assert.Equal("dev.cdevents.incident.resolved.0.3.0", resolved.Text("type"));
        Assert.Equal("2015-01-05T10:06:14.6690016Z", resolved.GetProperty("payload").Text("context", "timestamp"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1420452374669).AddTicks(10), resolved.GetProperty("timestamp").GetDateTimeOffset());
        Assert.StartsWith("sha256:", created.Text("deliveryId"), StringComparison.Ordinal);
        Assert.False(unknown.GetProperty("mapped").GetBoolean());
    }

    [Fact]
    public async Task Alertmanager_FiringThenResolved_OneIncidentNamedByConfiguredLabels()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        var firing = await Hooks.PostAsync(server, "alertmanager", Hooks.Fixture("alertmanager/firing.json"));
        var resolved = await Hooks.PostAsync(server, "alertmanager", Hooks.Fixture("alertmanager/resolved.json"));
        var repeated = await Hooks.PostAsync(server, "alertmanager", Hooks.Fixture("alertmanager/firing.json"));

        var detected = await Hooks.SingleEventAsync(server, "alertmanager", firing.Text("deliveryId")!);
        var ended = await Hooks.SingleEventAsync(server, "alertmanager", resolved.Text("deliveryId")!);
        Assert.Equal("dev.cdevents.incident.detected.0.3.0", detected.Text("type"));
        Assert.Equal("dev.cdevents.incident.resolved.0.3.0", ended.Text("type"));
        Assert.Equal("5a8c0e9f1b2d3c4e@2026-03-20T13:27:05.3150000Z", detected.Text("subjectId"));
        Assert.Equal(detected.Text("subjectId"), ended.Text("subjectId"));
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T13:27:05.315Z"), detected.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T13:51:40.002Z"), ended.GetProperty("timestamp").GetDateTimeOffset());
        var content = detected.GetProperty("payload").GetProperty("subject").GetProperty("content");
        Assert.Equal(("checkout", "production"), (content.Text("service", "id"), content.Text("environment", "id")));
        Assert.True(repeated.GetProperty("duplicate").GetBoolean());
    }
}

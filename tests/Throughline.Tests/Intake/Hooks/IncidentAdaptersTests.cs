using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class IncidentAdaptersTests
{
    private const string Fingerprint = "5a8c0e9f1b2d3c4e@2026-03-20T13:27:05.3150000Z";

    public static TheoryData<string, string[]> PagerDutyFixtures => new()
    {
        { "v3/escalate_v3.json", ["incident.detected Q3B15VLMF3ASBD"] },
        { "v3/resolved_v3.json", ["incident.resolved PCPZE64"] },
        { "v3/triggered_v3.json", ["incident.detected PFQZPSY"] },
    };

    public static TheoryData<string, string[]> OpsgenieFixtures => new()
    {
        { "close.json", ["incident.resolved 052652ac-5d1c-464a-812a-7dd18bbfba8c"] },
        { "create.json", ["incident.detected ec03dad6-62c8-4c94-b38b-d88f398e900f"] },
    };

    public static TheoryData<string, string[]> AlertmanagerFixtures => new()
    {
        { "firing.json", [$"incident.detected {Fingerprint}"] },
        { "resolved.json", [$"incident.resolved {Fingerprint}"] },
    };

    [Theory, MemberData(nameof(PagerDutyFixtures))]
    public void PagerDuty_EveryFixture_TypesAndSubjects(string fixture, string[] expected) =>
        Adapted.AssertEvents(Adapted.Run(PagerDutyAdapter.Translate, "pagerduty", fixture), expected);

    [Theory, MemberData(nameof(OpsgenieFixtures))]
    public void Opsgenie_EveryFixture_TypesAndSubjects(string fixture, string[] expected) =>
        Adapted.AssertEvents(Adapted.Run(OpsgenieAdapter.Translate, "opsgenie", fixture), expected);

    [Theory, MemberData(nameof(AlertmanagerFixtures))]
    public void Alertmanager_EveryFixture_TypesAndSubjects(string fixture, string[] expected) =>
        Adapted.AssertEvents(Adapted.Run(AlertmanagerAdapter.Translate, "alertmanager", fixture), expected);

    [Fact]
    public void Fixtures_EveryFileListed()
    {
        Adapted.AssertListsEveryFixture("pagerduty", PagerDutyFixtures);
        Adapted.AssertListsEveryFixture("opsgenie", OpsgenieFixtures);
        Adapted.AssertListsEveryFixture("alertmanager", AlertmanagerFixtures);
    }

    [Fact]
    public void PagerDuty_Escalated_DetectedAtCreationInTheModelsProductionEnvironment()
    {
        var detected = Assert.Single(Adapted.Run(PagerDutyAdapter.Translate, "pagerduty", "v3/escalate_v3.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-04-01T02:07:30Z"), detected.Timestamp);
        Assert.Equal(("Default Service", "production"), (detected.Content.At("service", "id"), detected.Content.At("environment", "id")));
        Assert.Equal(("Critical: Checkout API High Latency", "P1"), (detected.Content.At("description"), detected.Data.At("priority")));
        Assert.Equal("2026-04-01T02:08:04.6420000Z", detected.Data.At("occurredAt"));
    }

    [Fact]
    public void Opsgenie_EpochMillisecondsAndNanoseconds_ReadAsInstants()
    {
        var created = Assert.Single(Adapted.Run(OpsgenieAdapter.Translate, "opsgenie", "create.json").Events);
        var closed = Assert.Single(Adapted.Run(OpsgenieAdapter.Translate, "opsgenie", "close.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2017-08-14T11:25:56.288Z"), created.Timestamp);
        Assert.Equal(("Server", "production"), (created.Content.At("service", "id"), created.Content.At("environment", "id")));
        Assert.Equal("2015-01-05T10:06:14.6690016Z", closed.Data.At("updatedAt"));
        Assert.Equal(DateTimeOffset.Parse("2015-01-05T10:06:14.6690016Z"), closed.Timestamp);
    }

    [Fact]
    public void Alertmanager_FiringThenResolved_SameIncidentFromTheToolsLabels()
    {
        var firing = Assert.Single(Adapted.Run(AlertmanagerAdapter.Translate, "alertmanager", "firing.json").Events);
        var resolved = Assert.Single(Adapted.Run(AlertmanagerAdapter.Translate, "alertmanager", "resolved.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-03-20T13:27:05.315Z"), firing.Timestamp);
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T13:51:40.002Z"), resolved.Timestamp);
        Assert.Equal(("checkout", "production"), (firing.Content.At("service", "id"), firing.Content.At("environment", "id")));
        Assert.Equal(("HighErrorRate", "page"), (firing.Data.At("alertName"), firing.Data.At("severity")));
        Assert.Equal("Checkout 5xx rate above 5%", resolved.Content.At("description"));
    }
}

using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class PagerDutyAdapterTests() : AdapterTests("pagerduty", PagerDutyAdapter.Translate)
{
    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "v3/escalate_v3.json", ["incident.detected Q3B15VLMF3ASBD"] },
        { "v3/resolved_v3.json", ["incident.resolved PCPZE64"] },
        { "v3/triggered_v3.json", ["incident.detected PFQZPSY"] },
    };

    [Fact]
    public void Translate_Escalated_DetectedAtCreationInTheModelsProductionEnvironment()
    {
        var detected = Assert.Single(Adapt("v3/escalate_v3.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-04-01T02:07:30Z"), detected.Timestamp);
        Assert.Equal(("Default Service", "production"), (detected.Content.At("service", "id"), detected.Content.At("environment", "id")));
        Assert.Equal(("Critical: Checkout API High Latency", "P1"), (detected.Content.At("description"), detected.Data.At("priority")));
        Assert.Equal("2026-04-01T02:08:04.6420000Z", detected.Data.At("occurredAt"));
    }

    [Fact]
    public void Translate_Resolved_AtOccurrence()
    {
        var resolved = Assert.Single(Adapt("v3/resolved_v3.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2021-06-04T13:16:53.816Z"), resolved.Timestamp);
        Assert.Equal(("pig208", "resolved"), (resolved.Data.At("service"), resolved.Data.At("status")));
    }

    [Fact]
    public void Translate_Resolved_TheAgentWhoResolvedItIsTheActorAndThereAreNoLabels()
    {
        var resolved = Assert.Single(Adapt("v3/resolved_v3.json").Events);

        Assert.Equal("PIG 208", resolved.Data.At("actor"));
        Assert.Null(resolved.Data.At("labels"));
    }
}

public sealed class OpsgenieAdapterTests() : AdapterTests("opsgenie", OpsgenieAdapter.Translate)
{
    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "close.json", ["incident.resolved 052652ac-5d1c-464a-812a-7dd18bbfba8c"] },
        { "create.json", ["incident.detected ec03dad6-62c8-4c94-b38b-d88f398e900f"] },
    };

    [Fact]
    public void Translate_EpochMillisecondsAndNanoseconds_ReadAsInstants()
    {
        var created = Assert.Single(Adapt("create.json").Events);
        var closed = Assert.Single(Adapt("close.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2017-08-14T11:25:56.288Z"), created.Timestamp);
        Assert.Equal(("Server", "production"), (created.Content.At("service", "id"), created.Content.At("environment", "id")));
        Assert.Equal("2015-01-05T10:06:14.6690016Z", closed.Data.At("updatedAt"));
        Assert.Equal(DateTimeOffset.Parse("2015-01-05T10:06:14.6690016Z"), closed.Timestamp);
    }

    [Fact]
    public void Translate_Tags_AreLabelsAndTheUserIsTheActor()
    {
        var created = Assert.Single(Adapt("create.json").Events);
        var closed = Assert.Single(Adapt("close.json").Events);

        Assert.Equal(("[\"vip\"]", "test@example.com"), (created.Data!["labels"]?.ToJsonString(), created.Data.At("actor")));
        Assert.Equal((null, "fili@ifountain.com"), (closed.Data.At("labels"), closed.Data.At("actor")));
    }
}

public sealed class AlertmanagerAdapterTests() : AdapterTests("alertmanager", AlertmanagerAdapter.Translate)
{
    private const string Fingerprint = "5a8c0e9f1b2d3c4e@2026-03-20T13:27:05.3150000Z";

    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "firing.json", [$"incident.detected {Fingerprint}"] },
        { "resolved.json", [$"incident.resolved {Fingerprint}"] },
    };

    [Fact]
    public void Translate_FiringThenResolved_SameIncidentFromTheToolsLabels()
    {
        var firing = Assert.Single(Adapt("firing.json").Events);
        var resolved = Assert.Single(Adapt("resolved.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-03-20T13:27:05.315Z"), firing.Timestamp);
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T13:51:40.002Z"), resolved.Timestamp);
        Assert.Equal(("checkout", "production"), (firing.Content.At("service", "id"), firing.Content.At("environment", "id")));
        Assert.Equal(("HighErrorRate", "page"), (firing.Data.At("alertName"), firing.Data.At("severity")));
        Assert.Equal("Checkout 5xx rate above 5%", resolved.Content.At("description"));
    }

    [Fact]
    public void Translate_Firing_TheAlertRulesNameIsTheLabel()
    {
        var firing = Assert.Single(Adapt("firing.json").Events);

        Assert.Equal("[\"HighErrorRate\"]", firing.Data!["labels"]?.ToJsonString());
    }
}

using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;
using static Throughline.Tests.Diagnostics.History;

namespace Throughline.Tests.Diagnostics;

/// <summary>
/// The history's four releases of checkout (production at 16, 26, 36 and 46 h; a0 at −1 h delivered no known change) with incidents
/// written into it, over a window of ten days, [0 h, 240 h). Every change went through approval last before production (ticket
/// closed an hour before its deployment), so a deployment's incidents are caused at <c>approval</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>PD-1 at 17 h on a1, labelled HighErrorRate, resolved 18 h; a1 rolled back at 17.5 h: 1 h, "rollback of checkout deploy-a1-production".</item>
/// <item>PD-2 at 27 h on a2, labelled higherrorrate, resolved 36.5 h by ravi; a3 replaced a2 at 36 h: 9.5 h, fixed forward (ravi).</item>
/// <item>PD-3 at 47 h on a4, labelled HighErrorRate and change:acme/checkout#4 (a link, not a cause), resolved 49 h by ravi; a4 rolled
/// back at 48 h: 2 h, "rollback of checkout deploy-a4-production (ravi)".</item>
/// <item>PD-4 at 37 h and PD-5 at 38 h on a3, no labels: "Latency above threshold for checkout pod 3b" resolved 39 h (2 h, nothing
/// replaced a3 by then: no fix recorded), "Checkout latency above 2s on pod 7f9c2d1e" still open (240 − 38 = 202 h).</item>
/// <item>PD-6 at 5 h on a0 (no known change): "Disk full on checkout-db", resolved 5.5 h by ravi: 0.5 h.</item>
/// <item>PD-7 at 50 h naming no service: "Payment provider timeout", resolved 51 h: 1 h.</item>
/// <item>PD-8 at 250 h: outside the window.</item>
/// </list>
/// </remarks>
public sealed class IncidentCausesTests
{
    private static readonly MetricsQuery TenDays = new(At(0), At(240));

    private static List<Fact> Story()
    {
        var facts = History.Facts();
        facts.AddRange([
            Rollback("a0", 17.5), Rollback("a3", 48),
            Detected("PD-1", 17, "Checkout 5xx rate above 5%", ["HighErrorRate"]), Resolved("PD-1", 18),
            Detected("PD-2", 27, "Checkout 5xx rate above 5%", ["higherrorrate"]), Resolved("PD-2", 36.5, "ravi"),
            Detected("PD-3", 47, "Checkout 5xx rate above 5%", ["HighErrorRate", "change:acme/checkout#4"]), Resolved("PD-3", 49, "ravi"),
            Detected("PD-4", 37, "Latency above threshold for checkout pod 3b"), Resolved("PD-4", 39),
            Detected("PD-5", 38, "Checkout latency above 2s on pod 7f9c2d1e"),
            Detected("PD-6", 5, "Disk full on checkout-db"), Resolved("PD-6", 5.5, "ravi"),
            Detected("PD-7", 50, "Payment provider timeout", service: null), Resolved("PD-7", 51),
            Detected("PD-8", 250, "Checkout 5xx rate above 5%", ["HighErrorRate"]),
        ]);
        return [.. facts.Select((f, i) => f with { Sequence = i + 1 })];
    }

    [Fact]
    public void WarningSign_RecurringCauses_TheGroupsSeenTwiceWithTheirLatestIncident()
    {
        var story = Story();

        var sign = WarningSigns.Compute(History.Snapshot(story), History.Model(), TenDays, History.Observed(story)).Signs.Single(s => s.Id == "recurring-causes");

        // Two groups recur (latency pod: PD-4, PD-5; higherrorrate: PD-1, PD-2, PD-3), above the default threshold 0. Every incident
        // of the window was detected in its first quarter, [0 h, 60 h): 2 there, no incident in the other three.
        Assert.Equal((2.0, 0.0, true), (sign.Value, sign.Threshold, sign.Breached));
        Assert.Equal([2, null, null, null], sign.Trend);
        var latest = story.Where(f => f.Is("incident", "detected")).ToDictionary(f => f.SubjectId, f => f.Sequence);
        Assert.Equal([latest["PD-5"].ToString(System.Globalization.CultureInfo.InvariantCulture), latest["PD-3"].ToString(System.Globalization.CultureInfo.InvariantCulture)],
            sign.Evidence.Select(e => e.Id));
        Assert.All(sign.Evidence, e => Assert.Equal(EvidenceKind.Event, e.Kind));
        Assert.StartsWith("checkout, approval, latency pod: seen 2 times", sign.Evidence[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_HandBuiltHistory_GroupsRankedByRecurrenceTimesMedianRecovery()
    {
        var report = IncidentCauses.Compute(History.Snapshot(Story()), History.Model(), TenDays);

        // latency pod: 2 × median(2, 202) = 2 × 102 = 204; higherrorrate: 3 × median(1, 2, 9.5) = 3 × 2 = 6;
        // payment provider: 1 × 1 = 1; disk full: 1 × 0.5 = 0.5.
        Assert.Equal(7, report.Incidents);
        Assert.Equal(2, report.Recurring);
        Assert.Equal(
            [
                ("checkout", "approval", "latency pod", 2, 204.0, 102.0, 204.0),
                ("checkout", "approval", "higherrorrate", 3, 12.5, 2.0, 6.0),
                (IncidentCauses.NoService, IncidentCauses.Unattributed, "payment provider", 1, 1.0, 1.0, 1.0),
                ("checkout", IncidentCauses.NoChange, "disk full", 1, 0.5, 0.5, 0.5),
            ],
            report.Groups.Select(g => (g.Service, g.Stage, g.Cause, g.Count, g.TotalRecoveryHours, g.MedianRecoveryHours, g.Score)));
    }

    [Fact]
    public void Compute_HandBuiltHistory_SaysHowOftenAndWhatFixedTheLast()
    {
        var report = IncidentCauses.Compute(History.Snapshot(Story()), History.Model(), TenDays);

        Assert.Equal(
            [
                "seen 2 times in 10 days, the last still open",
                "seen 3 times in 10 days, last fixed by rollback of checkout deploy-a4-production (ravi)",
                "seen once in 10 days, the last resolved with no fix recorded",
                "seen once in 10 days, last fixed by ravi",
            ],
            report.Groups.Select(g => g.Summary));
        Assert.Equal(At(47), report.Groups[1].LastSeen);
    }

    [Fact]
    public void Compute_EachIncident_CarriesWhatFixedItAndItsEvidence()
    {
        var facts = Story();

        var errors = IncidentCauses.Compute(History.Snapshot(facts), History.Model(), TenDays).Groups[1];

        Assert.Equal(
            [
                ("PD-1", 1.0, "rollback of checkout deploy-a1-production", "deploy-a1-production", Change(1)),
                ("PD-2", 9.5, "fix forward of checkout by deploy-a3-production (ravi)", "deploy-a2-production", Change(2)),
                ("PD-3", 2.0, "rollback of checkout deploy-a4-production (ravi)", "deploy-a4-production", Change(4)),
            ],
            errors.Incidents.Select(i => (i.Id, i.RecoveryHours, i.FixedBy, i.Deployment?.Id, i.Change)));
        Assert.Equal(SequenceOf(facts, "incident", "detected", "PD-3"), errors.Incidents[2].Sequence);
    }

    [Fact]
    public void Compute_ServiceScope_KeepsTheServicesIncidentsAndThoseNamingNone()
    {
        var report = IncidentCauses.Compute(History.Snapshot(Story()), History.Model(), TenDays with { Service = "payments" });

        Assert.Equal([IncidentCauses.NoService], report.Groups.Select(g => g.Service));
        Assert.Equal(0, report.Recurring);
    }

    [Fact]
    public void Compute_ResolverTheModelKnows_NamedAsThePerson()
    {
        // ravi's PagerDuty login is rkumar: the resolution of PD-3 names the login, the summary the person.
        var model = OperatingModelLoader.LoadText(ModelText.Replace("jira:ravi]", "jira:ravi, pagerduty:rkumar]", StringComparison.Ordinal), "test.yaml").Model!;
        var facts = Story().Select(f => f.Is("incident", "resolved") && f.SubjectId == "PD-3" ? f with { Actor = "RKumar" } : f).ToList();

        var report = IncidentCauses.Compute(TimelineBuilder.Build(facts, model), model, TenDays);

        Assert.Equal("seen 3 times in 10 days, last fixed by rollback of checkout deploy-a4-production (ravi)", report.Groups[1].Summary);
    }

    [Fact]
    public void Compute_ChangeThatSkippedApproval_CausedAtTheLastStageItPassed()
    {
        // Without its Jira ticket, change 1 went from staging (13.5 h) straight to production (16 h).
        var facts = Story().Where(f => f.SubjectId != "QA-1").ToList();

        var report = IncidentCauses.Compute(History.Snapshot(facts), History.Model(), TenDays);

        var group = report.Groups.Single(g => g.Incidents.Any(i => i.Id == "PD-1"));
        Assert.Equal(("staging", "higherrorrate", 1), (group.Stage, group.Cause, group.Count));
    }

    [Theory]
    [InlineData(new[] { "  High   Error Rate ", "db", "change:acme/checkout#4", "DB" }, "db, high error rate")]
    [InlineData(new[] { "artifact:a1" }, null)]
    [InlineData(new string[0], null)]
    public void LabelsCause_Normalised_LowerCasedOnceEachInOrderWithoutLinks(string[] labels, string? cause)
    {
        Assert.Equal(cause, IncidentCauses.LabelsCause(labels));
    }

    [Theory]
    [InlineData("Checkout 5xx rate above 5% (pod 7f9c2d1e, 100ms, 42, 2s)", "5xx rate")]
    [InlineData("Incident #4711 triggered", IncidentCauses.NoCause)]
    [InlineData(null, IncidentCauses.NoCause)]
    public void CauseOf_TitleAlone_FirstTwoInformativeWordsWhenNoneRecurs(string? title, string cause)
    {
        // The only title of its service: every word appears once, so the first two informative ones are chosen.
        var incident = new IncidentRecord("X", "checkout", "production", At(0), null, null, null, null, null, null, Description: title);

        Assert.Equal(cause, IncidentCauses.CauseOf(incident, IncidentCauses.TitleFrequencies([incident])));
    }

    private static Fact Detected(string id, double hours, string title, IReadOnlyList<string>? labels = null, string? service = "checkout") =>
        new(0, "/hooks/pagerduty", $"{id}/detected", "incident", "detected", At(hours), id,
            Service: service, Environment: service is null ? null : "production", Description: title, Labels: labels);

    private static Fact Resolved(string id, double hours, string? actor = null) =>
        new(0, "/hooks/pagerduty", $"{id}/resolved", "incident", "resolved", At(hours), id, Actor: actor);

    private static Fact Rollback(string artifact, double hours) =>
        new(0, "/hooks/argocd", $"rollback-{artifact}-{hours}", "service", "rolledback", At(hours), "checkout",
            ArtifactId: artifact, Service: "checkout", Environment: "production");
}

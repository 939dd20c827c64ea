using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Tests.Diagnostics;

/// <summary>
/// A hand-built history for the diagnostics: four changes of checkout, each reviewed, built, approved and deployed to production,
/// one every ten hours, with the drift each test looks for written into it. Times are hours after a fixed start.
/// </summary>
/// <remarks>
/// Change N (1 to 4) is created at 10N h, reviewed at +1 (by alice, web, except #2: no review at all, and #3: by quinn, qa),
/// merged at +2, built (pipeline started +2.5, unit-tests +2.6, lint +2.7, packaged aN +3), deployed to staging at +3.5 (only #1),
/// approved through a Jira ticket (created +4 by ravi, closed +5 by ravi, infra, except #1: closed by quinn, qa) and deployed to
/// production at +6. #3 reports lint only after its production deployment (+7); #4 never reports lint.
/// </remarks>
internal static class History
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double hours) => T0.AddHours(hours);

    /// <summary>The window that holds the whole story: [0 h, 100 h).</summary>
    public static MetricsQuery Window { get; } = new(At(0), At(100));

    /// <summary>The test model, with <paramref name="extra"/> (a top-level section such as <c>diagnostics:</c>) appended.</summary>
    public static OperatingModel Model(string extra = "") =>
        OperatingModelLoader.LoadText(ModelText + "\n" + extra, "test.yaml").Model ?? throw new InvalidOperationException("the test model is invalid");

    public const string ModelText = """
        version: 1
        organization: Test
        teams: [{id: web}, {id: platform}, {id: infra}, {id: qa}]
        people:
          - {id: alice, team: web, identities: [github:alice]}
          - {id: quinn, team: qa, identities: [github:quinn, jira:quinn]}
          - {id: ravi, team: infra, identities: [argocd:ravi, jira:ravi]}
        environments: [{id: staging}, {id: production, production: true}]
        tools:
          - {id: github, kind: github}
          - {id: actions, kind: github}
          - {id: argocd, kind: argocd}
          - {id: jira, kind: jira}
          - {id: pagerduty, kind: pagerduty}
        services:
          - {id: checkout, owner: web, repositories: [acme/checkout]}
        responsibilities: {deploy-production: infra, approve-production: infra}
        flow:
          - {id: review, owner: service-owner, starts: change.reviewed, ends: change.merged}
          - {id: build, owner: platform, starts: pipelinerun.started, ends: artifact.packaged, checks: [unit-tests, lint]}
          - {id: staging, owner: infra, ends: service.deployed environment=staging}
          - {id: approval, owner: responsibilities.approve-production, starts: ticket.created, ends: ticket.closed}
          - {id: production, owner: responsibilities.deploy-production, ends: service.deployed environment=production}
        """;

    public static string Change(int n) => "acme/checkout#" + n;

    /// <summary>The facts of the story, each with a sequence number of its own (its position in this list, from 1).</summary>
    public static List<Fact> Facts()
    {
        var facts = new List<Fact> { Deployed("a0", -1, "production") };
        for (var n = 1; n <= 4; n++)
        {
            var (change, chain, artifact, t) = (Change(n), "chain-" + n, "a" + n, 10.0 * n);
            facts.Add(Fact("/hooks/github", "change", "created", t, change, chain: chain, change: change));
            if (n != 2)
            {
                facts.Add(Fact("/hooks/github", "change", "reviewed", t + 1, change, chain: chain, change: change, actor: n == 3 ? "quinn" : "alice"));
            }

            facts.Add(Fact("/hooks/github", "change", "merged", t + 2, change, chain: chain, change: change) with { Sha = "sha-" + n });
            facts.Add(Fact("/hooks/actions", "pipelinerun", "started", t + 2.5, "run-" + n, chain: chain));
            facts.Add(Fact("/hooks/actions", "testsuiterun", "finished", t + 2.6, "unit-" + n, chain: chain) with { Name = "unit-tests", Outcome = "success" });
            if (n <= 2)
            {
                facts.Add(Fact("/hooks/actions", "testsuiterun", "finished", t + 2.7, "lint-" + n, chain: chain) with { Name = "lint", Outcome = "success" });
            }

            facts.Add(Fact("/hooks/actions", "artifact", "packaged", t + 3, artifact, chain: chain, change: change) with { ArtifactId = artifact });
            if (n == 1)
            {
                // Only #1 goes through staging: a later staging deployment would deliver the earlier changes there too.
                facts.Add(Deployed(artifact, t + 3.5, "staging"));
            }

            facts.Add(Fact("/hooks/jira", "ticket", "created", t + 4, "QA-" + n, actor: "ravi") with { Labels = ["artifact:" + artifact] });
            facts.Add(Fact("/hooks/jira", "ticket", "closed", t + 5, "QA-" + n, actor: n == 1 ? "quinn" : "ravi") with { Labels = ["artifact:" + artifact] });
            facts.Add(Deployed(artifact, t + 6, "production"));
            if (n == 3)
            {
                facts.Add(Fact("/hooks/actions", "testsuiterun", "finished", t + 7, "lint-" + n, chain: chain) with { Name = "lint", Outcome = "success" });
            }
        }

        return [.. facts.Select((f, i) => f with { Sequence = i + 1 })];
    }

    public static TimelineSnapshot Snapshot(IEnumerable<Fact>? facts = null) => TimelineBuilder.Build(facts ?? Facts(), Model());

    /// <summary>The stored events behind <paramref name="facts"/>, all mapped and arrived through their hooks' sources, with their actors and services.</summary>
    public static List<ObservedEvent> Observed(IEnumerable<Fact> facts) =>
        [.. facts.Select(f => new ObservedEvent(f.Sequence, f.Source, "api", $"dev.cdevents.{f.Subject}.{f.Predicate}.0.3.0", f.Time, Mapped: true, f.Actor, f.Service))];

    /// <summary>The sequence number of the fact of <paramref name="subject"/> <paramref name="id"/> and <paramref name="predicate"/>.</summary>
    public static long SequenceOf(IEnumerable<Fact> facts, string subject, string predicate, string id) =>
        facts.Single(f => f.Subject == subject && f.Predicate == predicate && f.SubjectId == id).Sequence;

    public static Fact Deployed(string artifact, double hours, string environment) =>
        Fact("/hooks/argocd", "service", "deployed", hours, "checkout") with { ArtifactId = artifact, Service = "checkout", Environment = environment, Id = $"deploy-{artifact}-{environment}" };

    public static Fact Fact(
        string source, string subject, string predicate, double hours, string subjectId, string? chain = null, string? change = null, string? actor = null) =>
        new(0, source, $"{subject}.{predicate}/{subjectId}/{hours}", subject, predicate, At(hours), subjectId,
            ChainId: chain, ChangeId: change, Repository: subject is "change" ? "acme/checkout" : null, Actor: actor);
}

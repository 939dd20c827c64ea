using Throughline.Model;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>Hand-made facts for rule tests: times are hours after a fixed start.</summary>
internal static class Facts
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static int _counter;

    public static DateTimeOffset At(double hours) => T0.AddHours(hours);

    private static long _sequence;

    private static string NextId() => "f-" + Interlocked.Increment(ref _counter);

    /// <summary>A sequence number of its own, as if each fact were a stored event.</summary>
    private static long NextSequence() => Interlocked.Increment(ref _sequence);

    public static Fact Created(string change, double hours, string repository = "acme/checkout", IReadOnlyList<string>? paths = null) =>
        new(NextSequence(), "/github", NextId(), "change", "created", At(hours), change, ChangeId: change, Repository: repository, Paths: paths);

    public static Fact Reviewed(string change, double hours, string repository = "acme/checkout") =>
        new(NextSequence(), "/github", NextId(), "change", "reviewed", At(hours), change, ChangeId: change, Repository: repository);

    public static Fact Merged(string change, double hours, string repository = "acme/checkout", string? sha = null) =>
        new(NextSequence(), "/github", NextId(), "change", "merged", At(hours), change, ChangeId: change, Repository: repository, Sha: sha ?? "sha-" + change);

    public static Fact Packaged(string artifact, string change, double hours) =>
        new(NextSequence(), "/ci", NextId(), "artifact", "packaged", At(hours), artifact, ChangeId: change, ArtifactId: artifact);

    public static Fact Deployed(string service, string artifact, double hours, string environment = "production", string predicate = "deployed") =>
        new(NextSequence(), "/argocd", NextId(), "service", predicate, At(hours), service, ArtifactId: artifact, Service: service, Environment: environment);

    public static Fact DeployedSha(string service, string sha, double hours, string environment = "production") =>
        new(NextSequence(), "/github-deployments", NextId(), "service", "deployed", At(hours), service, Sha: sha, Service: service, Environment: environment);

    /// <summary>A deployment event with the source and id given: two tools, or two instances of one, may send the same id.</summary>
    public static Fact DeployedAs(string source, string id, string service, string artifact, double hours) =>
        Deployed(service, artifact, hours) with { Source = source, Id = id };

    /// <summary>
    /// Two Argo CD instances that name deployments after the application, so both send the id "checkout": the EU one
    /// deploys a1 (change #1) at 4 h, the US one a2 (change #2) at 7 h; INC-1, detected at 6 h and resolved at 8 h, names a1.
    /// A first deployment an hour before the start keeps the changes from predating the history.
    /// </summary>
    public static Fact[] TwoSourcesOneDeploymentId() =>
    [
        Deployed("checkout", "a0", -1),
        Created("acme/checkout#1", 0), Merged("acme/checkout#1", 1), Packaged("a1", "acme/checkout#1", 1.5),
        Created("acme/checkout#2", 2), Merged("acme/checkout#2", 3), Packaged("a2", "acme/checkout#2", 3.5),
        DeployedAs("/argocd/eu", "checkout", "checkout", "a1", 4),
        DeployedAs("/argocd/us", "checkout", "checkout", "a2", 7),
        Incident("INC-1", 6, artifact: "a1"), Resolved("INC-1", 8),
    ];

    public static Fact RolledBack(string service, string artifact, double hours) => Deployed(service, artifact, hours, predicate: "rolledback");

    public static Fact Incident(string id, double hours, string? service = "checkout", string? environment = "production", string? artifact = null) =>
        new(NextSequence(), "/pagerduty", NextId(), "incident", "detected", At(hours), id, Service: service, Environment: environment, ArtifactId: artifact);

    public static Fact Resolved(string id, double hours, string service = "checkout") =>
        new(NextSequence(), "/pagerduty", NextId(), "incident", "resolved", At(hours), id, Service: service, Environment: "production");

    public static Fact Event(string subject, string predicate, double hours, string? chain = null, string? sha = null, string? environment = null, IReadOnlyList<string>? labels = null) =>
        new(NextSequence(), "/tool", NextId(), subject, predicate, At(hours), NextId(), ChainId: chain, Sha: sha, Environment: environment, Labels: labels);

    /// <summary>A stored event's draft: <c>change.created</c> of change <c>acme/x#ID</c>, with the event id <paramref name="id"/>.</summary>
    public static EventDraft ChangeCreatedDraft(string id) => new(
        "/gaps", id, "dev.cdevents.change.created.0.4.0", "acme/x#" + id, DateTimeOffset.UnixEpoch, "0.5.0", true, "test",
        "{\"context\": {\"id\": \"" + id + "\"}, \"subject\": {\"id\": \"acme/x#" + id + "\", \"content\": {\"repository\": {\"id\": \"acme/x\"}}}}");

    /// <summary>A small model: checkout (its own repo), catalog and search in a monorepo, and the example's five-stage flow.</summary>
    public static OperatingModel Model() =>
        OperatingModelLoader.LoadText(ModelText(), "test.yaml").Model ?? throw new InvalidOperationException("the test model is invalid");

    public static string ModelText() => """
            version: 1
            organization: Test
            teams: [{id: web}, {id: platform}, {id: infra}, {id: qa}]
            environments: [{id: staging}, {id: production, production: true}]
            services:
              - {id: checkout, owner: web, repositories: [acme/checkout]}
              - {id: catalog, owner: web, repositories: [acme/shop], paths: [services/catalog/**]}
              - {id: search, owner: web, repositories: [acme/shop], paths: [services/search/**]}
              - {id: ledger, owner: web, repositories: [acme/ledger, acme/ledger-schema]}
            responsibilities: {deploy-production: infra}
            flow:
              - {id: review, owner: service-owner, starts: change.created, ends: change.merged}
              - {id: build, owner: platform, starts: pipelinerun.started, ends: artifact.packaged}
              - {id: staging, owner: infra, ends: service.deployed environment=staging}
              - {id: qa-signoff, owner: qa, starts: ticket.created, ends: ticket.closed}
              - {id: production, owner: responsibilities.deploy-production, ends: service.deployed environment=production}
            """;
}

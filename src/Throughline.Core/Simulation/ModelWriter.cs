using System.Text;
using Throughline.Model;

namespace Throughline.Simulation;

/// <summary>Writes the operating model (throughline.yaml) that describes a simulated organisation.</summary>
/// <remarks>
/// The tools carry no secrets: the simulator sends CDEvents to <c>POST /api/events</c>, not through webhooks. The rollback
/// action's secret is read from <see cref="RollbackSecretVariable"/>, never written into the file.
/// </remarks>
public static class ModelWriter
{
    /// <summary>The environment variable the rollback action's signing secret is read from when the model has the demo's tools.</summary>
    public const string RollbackSecretVariable = "THROUGHLINE_DEMO_ROLLBACK_SECRET";

    /// <summary>The model as YAML text, deterministic for a given organisation and <paramref name="demoTools"/>.</summary>
    /// <param name="organisation">The simulated organisation.</param>
    /// <param name="options">The options it was made with (named in the file's first line).</param>
    /// <param name="demoTools">
    /// The base URL of the demo's stand-in for the organisation's chat and Argo CD, which receives notifications at
    /// <c>/notify</c> and rollback calls at <c>/rollback/{service}</c>; null when there is none (<c>simulate</c>): failed
    /// releases are then told only inside Throughline and rolled back by hand.
    /// </param>
    public static string Write(SimulatedOrganisation organisation, SimulationOptions options, Uri? demoTools = null)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(options);
        var yaml = new StringBuilder();
        void Line(string text) => yaml.Append(text).Append('\n');

        Line($"# The operating model of a simulated organisation, written by `throughline simulate --seed {options.Seed} --teams {options.Teams} --services {options.Services}`.");
        Line("version: 1");
        Line($"organization: {organisation.Name}");
        Line("");
        Line("teams:");
        foreach (var team in organisation.Teams)
        {
            Line($"  - id: {team.Id}");
            Line($"    name: {team.Name}");
            Line($"    type: {TypeName(team.Type)}");
        }

        Line("");
        Line("people:");
        foreach (var team in organisation.Teams)
        {
            foreach (var person in team.People)
            {
                Line($"  - id: {person}");
                Line($"    team: {team.Id}");
                Line($"    identities: [github:{person}, jira:{person}, sso:{person}@{organisation.Slug}.example]");
            }
        }

        Line("");
        Line("environments:");
        Line("  - id: staging");
        Line("  - id: production");
        Line("    production: true");
        Line("");
        Line("tools:");
        foreach (var (id, kind) in new[] { ("github", "github"), ("actions", "github"), ("argocd", "argocd"), ("jira", "jira"), ("pagerduty", "pagerduty") })
        {
            Line($"  - id: {id}");
            Line($"    kind: {kind}");
        }

        Line("");
        Line("services:");
        foreach (var service in organisation.Services)
        {
            Line($"  - id: {service.Id}");
            Line($"    owner: {service.Owner}");
            Line($"    repositories: [{service.Repository}]");
            if (service.Path is not null)
            {
                Line($"    paths: [{service.Path}/**]");
            }
        }

        Line("");
        Line("responsibilities:");
        Line($"  approve-production: {organisation.QaTeam}");
        Line($"  deploy-production: {organisation.InfraTeam}");
        Line($"  monitor: {organisation.InfraTeam}");
        Line($"  rollback: {organisation.InfraTeam}");
        Line($"  incident-response: {organisation.InfraTeam}");
        Line("");
        Line("flow:");
        Line("  - id: review");
        Line("    name: Code review");
        Line("    owner: service-owner");
        Line("    tool: github");
        Line("    starts: change.reviewed         # the first review: until then the change waits for a reviewer");
        Line("    ends: change.merged");
        Line("  - id: build");
        Line($"    owner: {organisation.PlatformTeam}");
        Line("    tool: actions");
        Line("    automated: true");
        Line("    starts: pipelinerun.started");
        Line("    ends: artifact.packaged");
        Line("    checks: [unit-tests, lint]");
        Line("  - id: staging");
        Line("    name: Deploy to staging");
        Line($"    owner: {organisation.InfraTeam}");
        Line("    tool: argocd");
        Line("    automated: true");
        Line("    ends: service.deployed environment=staging");
        Line("  - id: qa-signoff");
        Line("    name: QA sign-off");
        Line("    owner: responsibilities.approve-production");
        Line("    tool: jira");
        Line("    automated: false");
        Line("    starts: ticket.updated          # a tester picks the ticket up: until then it waits in QA's queue");
        Line("    ends: ticket.closed");
        Line("  - id: production");
        Line("    name: Deploy to production");
        Line("    owner: responsibilities.deploy-production");
        Line("    tool: argocd");
        Line("    automated: false");
        Line("    ends: service.deployed environment=production");
        Line("");
        Line("health:");
        Line("  attribution-window: 24h");
        Line("  verification-window: 30m");
        Line($"  signals: {{ incidents: true, alerts: true, checks: [{HistorySimulator.SmokeTests}] }}");
        Line("  rollback:");
        Line("    automatic: false   # a person in the rollback responsibility confirms first");
        Line("    owner: responsibilities.rollback");
        Line("    notify:");
        Line("      roles: [responsibilities.rollback, responsibilities.incident-response]");
        if (demoTools is not null)
        {
            var tools = demoTools.GetLeftPart(UriPartial.Authority);
            Line($"      webhook: {tools}/notify   # the demo's stand-in for the organisation's chat");
            Line("      format: json");
            Line("    action:");
            Line($"      webhook: \"{tools}/rollback/{{service}}\"   # the demo's stand-in for Argo CD");
            Line($"      secret: ${{{RollbackSecretVariable}}}");
            Line("      timeout: 10s");
            Line("      retries: 3");
            Line($"      allow-hosts: [{demoTools.Host}]");
        }

        return yaml.ToString();
    }

    private static string TypeName(TeamType type) => type switch
    {
        TeamType.StreamAligned => "stream-aligned",
        TeamType.Platform => "platform",
        TeamType.Enabling => "enabling",
        _ => "complicated-subsystem",
    };
}

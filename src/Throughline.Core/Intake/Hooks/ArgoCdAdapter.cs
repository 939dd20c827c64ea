using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>
/// Argo CD notifications sent with Throughline's webhook template (docs/integrations.md) as CDEvents: a successful sync
/// of a new revision is a deployment (first), an upgrade, or a rollback (to a revision deployed before the previous one);
/// degraded health is an incident (labelled <c>health Degraded</c>), restored health resolves it.
/// </summary>
/// <remarks>Tolerant of hand-written templates: the trigger may be missing (the sync phase and health decide), and the
/// application may be given as <c>app</c> or <c>application</c>.</remarks>
internal static class ArgoCdAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        var trigger = body.Text("trigger");
        var app = body.Text("app") ?? body.Text("application");
        var phase = body.Text("operation", "phase") ?? body.Text("phase");
        var health = body.Text("healthStatus") ?? body.Text("health");
        context.Event = trigger ?? $"{phase ?? "unknown"}.{health ?? "unknown"}";
        var service = body.Text("service") ?? app;
        var environment = body.Text("environment") ?? body.Text("destination", "namespace") ?? body.Text("destination", "name");
        var revision = body.Text("revision") ?? body.Items("history").Select(h => h.Text("revision")).LastOrDefault();
        var isDeploy = trigger is "on-deployed" or "on-sync-succeeded" || (trigger is null && phase == "Succeeded" && health != "Degraded");
        var isDegraded = trigger is "on-health-degraded" || (trigger is null && health == "Degraded");
        var isRestored = trigger is "on-health-healthy" or "on-health-restored";
        if (isDeploy && phase is null or "Succeeded")
        {
            Deployment(context, app, service, environment, revision);
        }
        else if (isDegraded || isRestored)
        {
            context.Emit(isDegraded ? "incident.detected" : "incident.resolved", app is null ? null : $"argocd/{app}@{revision}",
                body.Time("healthChangedAt") ?? body.Time("operation", "finishedAt"),
                new JsonObject
                {
                    ["description"] = $"Argo CD application {app} health is {health}",
                    ["environment"] = Values.Reference(environment),
                    ["service"] = Values.Reference(service),
                    ["artifactId"] = Artifact(body.Text("repoURL"), app, revision),
                },
                new JsonObject
                {
                    ["application"] = app,
                    ["revision"] = revision,
                    ["health"] = health,
                    ["environment"] = environment,
                    ["service"] = service,
                    // What Argo CD knows of the cause: the health it reported (the title names the application, not the cause).
                    ["labels"] = isDegraded ? Values.Labels([$"health {health ?? "Degraded"}"]) : null,
                });
        }
        else
        {
            context.Unmapped($"Argo CD notification '{context.Event}' is not translated (deployments and health are)");
        }
    }

    private static void Deployment(HookContext context, string? app, string? service, string? environment, string? revision)
    {
        var body = context.Body;
        var history = body.Items("history").Select(h => h.Text("revision")).ToList();
        var previous = history.Count >= 2 ? history[^2] : null;
        string type;
        if (previous is null)
        {
            type = "service.deployed";
        }
        else if (previous == revision)
        {
            context.Unmapped($"a sync of revision {revision}, which was already deployed, is not a new deployment");
            return;
        }
        else
        {
            type = history.Take(history.Count - 2).Contains(revision) ? "service.rolledback" : "service.upgraded";
        }

        var finished = body.Time("operation", "finishedAt") ?? body.Items("history").Select(h => h.Time("deployedAt")).LastOrDefault();
        var repoUrl = body.Text("repoURL");
        context.Emit(type, service, finished,
            new JsonObject { ["environment"] = Values.Reference(environment), ["artifactId"] = Artifact(repoUrl, app, revision) },
            new JsonObject
            {
                ["application"] = app,
                ["project"] = body.Text("project"),
                ["environment"] = environment,
                ["repository"] = Repository(repoUrl),
                ["repositoryUrl"] = repoUrl,
                ["commitSha"] = revision,
                ["previousRevision"] = previous,
                ["outcome"] = "success",
                ["startedAt"] = Values.Time(body.Time("operation", "startedAt")),
                ["finishedAt"] = Values.Time(finished),
            });
    }

    private static string? Artifact(string? repoUrl, string? app, string? revision)
    {
        if (revision is null)
        {
            return null;
        }

        return Repository(repoUrl) is { } repository && repoUrl!.Contains("github.com", StringComparison.OrdinalIgnoreCase)
            ? Values.SourceArtifact("github", repository, revision)
            : $"pkg:generic/{app}@{revision}";
    }

    /// <summary><c>owner/name</c> from a git URL (<c>https://github.com/foo/bar.git</c> → <c>foo/bar</c>).</summary>
    private static string? Repository(string? repoUrl)
    {
        if (repoUrl is null || !Uri.TryCreate(repoUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = uri.AbsolutePath.Trim('/');
        return path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path is { Length: > 0 } ? path : null;
    }
}

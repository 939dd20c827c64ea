using System.Text.Json;
using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

// After the merge: workflow runs and jobs, check suites and runs, deployment statuses and releases.
internal static partial class GitHubAdapter
{
    private static void Run(HookContext context, string subject, JsonElement? element, string? action, string? repository, string path)
    {
        var run = element ?? default;
        var status = run.Text("status");
        var predicate = (action, status) switch
        {
            (_, "completed") or ("completed", _) => "finished",
            (_, "in_progress") or ("in_progress", _) => "started",
            (_, "queued" or "waiting" or "requested" or "pending") or ("requested" or "rerequested" or "created" or "queued" or "waiting", _) => "queued",
            _ => null,
        };
        if (predicate is null)
        {
            context.Unmapped($"{context.Event} with status '{status}' is not translated");
            return;
        }

        var started = run.Time("run_started_at") ?? run.Time("started_at");
        var finished = run.Time("completed_at") ?? (predicate == "finished" ? run.Time("updated_at") : null);
        var time = predicate switch
        {
            "finished" => finished,
            "started" => started,
            _ => run.Time("created_at") ?? started,
        };
        var name = run.Text("name") is { } runName ? runName : run.Text("app", "name");
        var outcome = predicate == "finished" ? Outcome(run.Text("conclusion")) : null;
        var url = run.Text("html_url") ?? run.Text("url");
        var content = subject switch
        {
            "pipelinerun" => new JsonObject { ["pipelineName"] = name, ["uri"] = url, ["outcome"] = outcome },
            "testcaserun" => new JsonObject
            {
                ["testCase"] = new JsonObject { ["id"] = run.Text("name") ?? "check", ["name"] = name },
                ["outcome"] = outcome,
            },
            _ => new JsonObject(),
        };
        if (predicate != "finished" && subject == "pipelinerun")
        {
            content.Remove("outcome");
        }

        var changes = Values.Strings(run.Items("pull_requests").Select(p => p.Number("number") is { } n ? $"{repository}#{n}" : null));
        context.Emit($"{subject}.{predicate}", repository is null || run.Number("id") is not { } id ? null : $"{repository}/{path}/{id}", time, content, new JsonObject
        {
            ["repository"] = repository,
            ["name"] = name,
            ["runId"] = run.Number("run_id"),
            ["commitSha"] = run.Text("head_sha"),
            ["branch"] = run.Text("head_branch"),
            ["status"] = status,
            ["outcome"] = outcome,
            ["conclusion"] = run.Text("conclusion"),
            ["queuedAt"] = Values.Time(run.Time("created_at")),
            ["startedAt"] = Values.Time(started),
            ["finishedAt"] = Values.Time(finished),
            ["url"] = url,
            ["changes"] = changes.Count > 0 ? changes : null,
        });
    }

    private static void DeploymentStatus(HookContext context, string? repository)
    {
        var body = context.Body;
        var state = body.Text("deployment_status", "state");
        context.Event = $"deployment_status.{state}";
        if (state != "success")
        {
            context.Unmapped($"deployment_status '{state}' is not translated (only success is a deployment)");
            return;
        }

        var environment = body.Text("deployment_status", "environment") ?? body.Text("deployment", "environment");
        var sha = body.Text("deployment", "sha");
        var artifact = Values.SourceArtifact("github", repository, sha);
        context.Emit("service.deployed", context.ServiceFor(repository),
            body.Time("deployment_status", "created_at") ?? body.Time("deployment_status", "updated_at"),
            new JsonObject { ["environment"] = Values.Reference(environment), ["artifactId"] = artifact },
            new JsonObject
            {
                ["repository"] = repository,
                ["environment"] = environment,
                ["commitSha"] = sha,
                ["ref"] = body.Text("deployment", "ref"),
                ["deploymentId"] = body.Number("deployment", "id"),
                ["outcome"] = "success",
                ["url"] = body.Text("deployment_status", "target_url"),
            },
            // The status' own id: the same deployment from the webhook and from `import github-export` is one event.
            body.Number("deployment_status", "id") is { } statusId && repository is not null ? $"deployment-status/{repository}/{statusId}" : null);
    }

    private static void Release(HookContext context, string? action, string? repository, string? repositoryUrl)
    {
        var release = context.Body.At("release") ?? default;
        if (action is not ("published" or "released" or "prereleased" or "created") || release.Flag("draft") == true)
        {
            context.Unmapped($"release action '{action}' is not translated (only published releases are)");
            return;
        }

        context.Emit("git-release.published", release.Text("tag_name"), release.Time("published_at") ?? release.Time("created_at"),
            new JsonObject { ["repository"] = Values.Repository(repository, repositoryUrl) },
            new JsonObject
            {
                ["repository"] = repository,
                ["tag"] = release.Text("tag_name"),
                ["name"] = release.Text("name"),
                ["target"] = release.Text("target_commitish"),
                ["prerelease"] = release.Flag("prerelease"),
                ["url"] = release.Text("html_url"),
            });
    }

    /// <summary>A GitHub conclusion as a CDEvents outcome: success, failure, cancel, or error (anything else).</summary>
    private static string? Outcome(string? conclusion) => conclusion switch
    {
        null => null,
        "success" or "neutral" or "skipped" => "success",
        "failure" or "timed_out" or "action_required" or "startup_failure" => "failure",
        "cancelled" => "cancel",
        _ => "error",
    };
}

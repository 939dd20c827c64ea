using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

// After the merge: pipelines, jobs, deployments and releases.
internal static partial class GitLabAdapter
{
    private static void Pipeline(HookContext context, string? project)
    {
        var pipeline = context.Body.At("object_attributes") ?? default;
        var status = pipeline.Text("status");
        context.Event = $"pipeline.{status}";
        var predicate = Predicate(status);
        if (predicate is null)
        {
            context.Unmapped($"pipeline status '{status}' is not translated");
            return;
        }

        var outcome = predicate == "finished" ? Outcome(status) : null;
        var time = predicate == "finished" ? pipeline.Time("finished_at") : predicate == "started" ? pipeline.Time("started_at") ?? pipeline.Time("created_at") : pipeline.Time("created_at");
        var url = pipeline.Text("url");
        var content = new JsonObject { ["pipelineName"] = pipeline.Text("name") ?? project, ["uri"] = url, ["outcome"] = outcome };
        var changeId = project is not null && context.Body.Number("merge_request", "iid") is { } iid ? $"{project}!{iid}" : null;
        context.Emit($"pipelinerun.{predicate}", project is null || pipeline.Number("id") is not { } id ? null : $"{project}/pipelines/{id}", time, content, new JsonObject
        {
            ["repository"] = project,
            ["commitSha"] = pipeline.Text("sha"),
            ["branch"] = pipeline.Text("ref"),
            ["status"] = status,
            ["outcome"] = outcome,
            ["queuedAt"] = Values.Time(pipeline.Time("created_at")),
            ["finishedAt"] = Values.Time(pipeline.Time("finished_at")),
            ["durationSeconds"] = pipeline.Number("duration"),
            ["url"] = url,
            ["changes"] = changeId is null ? null : Values.Strings([changeId]),
        });
    }

    private static void Job(HookContext context, string? project)
    {
        var body = context.Body;
        var status = body.Text("build_status");
        context.Event = $"build.{status}";
        var predicate = Predicate(status);
        if (predicate is null)
        {
            context.Unmapped($"job status '{status}' is not translated");
            return;
        }

        var outcome = predicate == "finished" ? Outcome(status) : null;
        var time = predicate switch
        {
            "finished" => body.Time("build_finished_at"),
            "started" => body.Time("build_started_at"),
            _ => body.Time("build_created_at"),
        };
        context.Emit($"build.{predicate}", project is null || body.Number("build_id") is not { } id ? null : $"{project}/jobs/{id}", time, new JsonObject(), new JsonObject
        {
            ["repository"] = project,
            ["name"] = body.Text("build_name"),
            ["stage"] = body.Text("build_stage"),
            ["pipelineId"] = body.Number("pipeline_id"),
            ["commitSha"] = body.Text("sha"),
            ["branch"] = body.Text("ref"),
            ["status"] = status,
            ["outcome"] = outcome,
            ["queuedAt"] = Values.Time(body.Time("build_created_at")),
            ["startedAt"] = Values.Time(body.Time("build_started_at")),
            ["finishedAt"] = Values.Time(body.Time("build_finished_at")),
            ["environment"] = body.Text("environment", "name"),
        });
    }

    private static void Deployment(HookContext context, string? project)
    {
        var body = context.Body;
        var status = body.Text("status");
        context.Event = $"deployment.{status}";
        if (status != "success")
        {
            context.Unmapped($"deployment status '{status}' is not translated (only success is a deployment)");
            return;
        }

        // The payload has only the short sha; the full one ends commit_url.
        var commitUrl = body.Text("commit_url");
        var sha = commitUrl is not null && commitUrl.LastIndexOf('/') is var slash and >= 0 && commitUrl[(slash + 1)..] is { Length: >= 40 } full
            ? full
            : body.Text("short_sha");
        var environment = body.Text("environment");
        context.Emit("service.deployed", context.ServiceFor(project), body.Time("status_changed_at"),
            new JsonObject { ["environment"] = Values.Reference(environment), ["artifactId"] = Values.SourceArtifact("gitlab", project, sha) },
            new JsonObject
            {
                ["repository"] = project,
                ["environment"] = environment,
                ["commitSha"] = sha,
                ["shortSha"] = body.Text("short_sha"),
                ["ref"] = body.Text("ref"),
                ["deploymentId"] = body.Number("deployment_id"),
                ["jobId"] = body.Number("deployable_id"),
                ["outcome"] = "success",
                ["url"] = body.Text("deployable_url"),
            });
    }

    private static void Release(HookContext context, string? project, string? projectUrl)
    {
        var body = context.Body;
        var action = body.Text("action");
        context.Event = $"release.{action}";
        if (action != "create")
        {
            context.Unmapped($"release action '{action}' is not translated (only create is)");
            return;
        }

        context.Emit("git-release.published", body.Text("tag"), body.Time("released_at") ?? body.Time("created_at"),
            new JsonObject { ["repository"] = Values.Repository(project, projectUrl) },
            new JsonObject
            {
                ["repository"] = project,
                ["tag"] = body.Text("tag"),
                ["name"] = body.Text("name"),
                ["commitSha"] = body.Text("commit", "id"),
                ["url"] = body.Text("url"),
            });
    }

    private static string? Predicate(string? status) => status switch
    {
        "created" or "pending" or "waiting_for_resource" or "preparing" or "scheduled" or "manual" => "queued",
        "running" => "started",
        "success" or "failed" or "canceled" or "skipped" => "finished",
        _ => null,
    };

    private static string? Outcome(string? status) => status switch
    {
        "success" or "skipped" => "success",
        "failed" => "failure",
        "canceled" => "cancel",
        _ => null,
    };
}

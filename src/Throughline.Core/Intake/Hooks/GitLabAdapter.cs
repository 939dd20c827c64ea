using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>GitLab webhooks (kind in <c>object_kind</c>, else <c>X-Gitlab-Event</c>) as CDEvents; see docs/integrations.md.</summary>
internal static class GitLabAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        var kind = body.Text("object_kind") ?? context.Header("X-Gitlab-Event") ?? "unknown";
        context.Event = kind;
        var project = body.Text("project", "path_with_namespace") ?? ProjectFromUrl(body.Text("repository", "homepage"));
        var projectUrl = body.Text("project", "web_url") ?? body.Text("repository", "homepage");
        switch (kind)
        {
            case "merge_request": MergeRequest(context, project, projectUrl); break;
            case "push" or "tag_push": Push(context, kind, project, projectUrl); break;
            case "pipeline": Pipeline(context, project); break;
            case "build": Job(context, project); break;
            case "deployment": Deployment(context, project); break;
            case "release": Release(context, project, projectUrl); break;
            default: context.Unmapped($"GitLab event '{kind}' is not translated"); break;
        }
    }

    private static void MergeRequest(HookContext context, string? project, string? projectUrl)
    {
        var mr = context.Body.At("object_attributes") ?? default;
        var action = mr.Text("action");
        context.Event = $"merge_request.{action}";
        var (type, time) = action switch
        {
            "open" => ("change.created", mr.Time("created_at")),
            "reopen" or "update" => ("change.updated", mr.Time("updated_at")),
            "approved" or "approval" => ("change.reviewed", mr.Time("updated_at")),
            "merge" => ("change.merged", mr.Time("merged_at") ?? mr.Time("updated_at")),
            "close" => ("change.abandoned", mr.Time("closed_at") ?? mr.Time("updated_at")),
            _ => (null, null),
        };
        if (type is null)
        {
            context.Unmapped($"merge_request action '{action}' is not translated");
            return;
        }

        var changeId = project is null || mr.Number("iid") is not { } iid ? null : $"{project}!{iid}";
        context.Emit(type, changeId, time, Values.ChangeContent(type, project, projectUrl, mr.Text("title")), new JsonObject
        {
            ["changeId"] = changeId,
            ["repository"] = project,
            ["number"] = mr.Number("iid"),
            ["title"] = mr.Text("title"),
            ["author"] = context.Body.Text("user", "username"),
            ["state"] = type == "change.reviewed" ? "approved" : mr.Text("state"),
            ["url"] = mr.Text("url"),
            ["sourceBranch"] = mr.Text("source_branch"),
            ["targetBranch"] = mr.Text("target_branch"),
            ["headSha"] = mr.Text("last_commit", "id"),
            ["mergeCommitSha"] = type == "change.merged" ? mr.Text("merge_commit_sha") : null,
            ["createdAt"] = Values.Time(mr.Time("created_at")),
        });
    }

    private static void Push(HookContext context, string kind, string? project, string? projectUrl)
    {
        var body = context.Body;
        var reference = body.Text("ref");
        var name = Values.ShortRef(reference);
        var before = body.Text("before");
        var after = body.Text("after");
        JsonObject? Repo() => Values.Repository(project, projectUrl);
        var commits = new JsonArray();
        DateTimeOffset? latest = null;
        foreach (var commit in body.Items("commits"))
        {
            var time = commit.Time("timestamp");
            latest = time > latest || latest is null ? time : latest;
            commits.Add(new JsonObject { ["id"] = commit.Text("id"), ["timestamp"] = Values.Time(time) });
        }

        if (kind == "tag_push")
        {
            var deleted = Values.IsZeroSha(after);
            context.Event = deleted ? "tag_push.deleted" : "tag_push.created";
            context.Emit(deleted ? "git-tag.deleted" : "git-tag.created", name, latest, new JsonObject { ["repository"] = Repo() },
                new JsonObject { ["repository"] = project, ["ref"] = reference, ["sha"] = deleted ? before : after });
            return;
        }

        if (Values.IsZeroSha(after))
        {
            context.Emit("branch.deleted", name, null, new JsonObject { ["repository"] = Repo() },
                new JsonObject { ["repository"] = project, ["ref"] = reference, ["sha"] = before });
            return;
        }

        if (Values.IsZeroSha(before))
        {
            context.Emit("branch.created", name, latest, new JsonObject { ["repository"] = Repo() },
                new JsonObject { ["repository"] = project, ["ref"] = reference, ["sha"] = after });
        }

        context.Emit("git-push.received", after, latest, new JsonObject { ["repository"] = Repo() }, new JsonObject
        {
            ["repository"] = project,
            ["ref"] = reference,
            ["branch"] = name,
            ["before"] = before,
            ["after"] = after,
            ["pusher"] = body.Text("user_username"),
            ["commits"] = commits,
        });
    }

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

    private static string? ProjectFromUrl(string? homepage) =>
        homepage is not null && Uri.TryCreate(homepage, UriKind.Absolute, out var uri) && uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path : null;
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>GitHub webhooks (event in <c>X-GitHub-Event</c>) as CDEvents; see docs/integrations.md for the table.</summary>
internal static class GitHubAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        var kind = context.Header("X-GitHub-Event") ?? "unknown";
        var action = body.Text("action");
        context.Event = action is null ? kind : $"{kind}.{action}";
        var repository = body.Text("repository", "full_name");
        var repositoryUrl = body.Text("repository", "html_url");
        switch (kind)
        {
            case "pull_request": PullRequest(context, action, repository, repositoryUrl); break;
            case "pull_request_review" when action == "submitted": Review(context, repository, repositoryUrl); break;
            case "push": Push(context, repository, repositoryUrl); break;
            case "create" or "delete": Reference(context, kind, repository, repositoryUrl); break;
            case "workflow_run": Run(context, "pipelinerun", body.At("workflow_run"), action, repository, "actions/runs"); break;
            case "workflow_job": Run(context, "build", body.At("workflow_job"), action, repository, "actions/jobs"); break;
            case "check_suite": Run(context, "pipelinerun", body.At("check_suite"), action, repository, "check-suites"); break;
            case "check_run": Run(context, "testcaserun", body.At("check_run"), action, repository, "check-runs"); break;
            case "deployment_status": DeploymentStatus(context, repository); break;
            case "release": Release(context, action, repository, repositoryUrl); break;
            case "deployment":
                context.Unmapped("a deployment only asks for one; its deployment_status events say when it succeeded");
                break;
            default:
                context.Unmapped($"GitHub event '{context.Event}' is not translated");
                break;
        }
    }

    private static void PullRequest(HookContext context, string? action, string? repository, string? repositoryUrl)
    {
        var pr = context.Body.At("pull_request") ?? default;
        var changeId = ChangeId(repository, pr);
        var merged = pr.Flag("merged") == true;
        var (type, time) = action switch
        {
            "opened" => ("change.created", pr.Time("created_at")),
            "reopened" or "synchronize" or "edited" or "ready_for_review" => ("change.updated", pr.Time("updated_at")),
            "closed" when merged => ("change.merged", pr.Time("merged_at")),
            "closed" => ("change.abandoned", pr.Time("closed_at")),
            _ => (null, null),
        };
        if (type is null)
        {
            context.Unmapped($"pull_request action '{action}' is not translated");
            return;
        }

        context.Emit(type, changeId, time, Values.ChangeContent(type, repository, repositoryUrl, pr.Text("title")), new JsonObject
        {
            ["changeId"] = changeId,
            ["repository"] = repository,
            ["number"] = pr.Number("number"),
            ["title"] = pr.Text("title"),
            ["author"] = pr.Text("user", "login"),
            ["url"] = pr.Text("html_url"),
            ["sourceBranch"] = pr.Text("head", "ref"),
            ["targetBranch"] = pr.Text("base", "ref"),
            ["headSha"] = pr.Text("head", "sha"),
            ["mergeCommitSha"] = merged ? pr.Text("merge_commit_sha") : null,
            ["createdAt"] = Values.Time(pr.Time("created_at")),
            ["mergedAt"] = Values.Time(pr.Time("merged_at")),
            ["closedAt"] = Values.Time(pr.Time("closed_at")),
        });
    }

    private static void Review(HookContext context, string? repository, string? repositoryUrl)
    {
        var pr = context.Body.At("pull_request") ?? default;
        var review = context.Body.At("review") ?? default;
        var changeId = ChangeId(repository, pr);
        context.Emit("change.reviewed", changeId, review.Time("submitted_at"),
            new JsonObject { ["repository"] = Values.Repository(repository, repositoryUrl) },
            new JsonObject
            {
                ["changeId"] = changeId,
                ["repository"] = repository,
                ["number"] = pr.Number("number"),
                ["state"] = review.Text("state"),
                ["reviewer"] = review.Text("user", "login"),
                ["commitSha"] = review.Text("commit_id"),
                ["url"] = review.Text("html_url"),
            });
    }

    private static void Push(HookContext context, string? repository, string? repositoryUrl)
    {
        var body = context.Body;
        var reference = body.Text("ref");
        var isTag = reference?.StartsWith("refs/tags/", StringComparison.Ordinal) == true;
        var name = Values.ShortRef(reference);
        var pushedAt = body.Time("repository", "pushed_at") ?? body.Time("head_commit", "timestamp");
        JsonObject? Repo() => Values.Repository(repository, repositoryUrl);
        if (body.Flag("deleted") == true)
        {
            context.Emit(isTag ? "git-tag.deleted" : "branch.deleted", name, pushedAt, new JsonObject { ["repository"] = Repo() },
                new JsonObject { ["repository"] = repository, ["ref"] = reference, ["sha"] = body.Text("before") });
            return;
        }

        if (isTag)
        {
            context.Emit("git-tag.created", name, pushedAt, new JsonObject { ["repository"] = Repo() },
                new JsonObject { ["repository"] = repository, ["ref"] = reference, ["sha"] = body.Text("after") });
            return;
        }

        if (body.Flag("created") == true)
        {
            context.Emit("branch.created", name, pushedAt, new JsonObject { ["repository"] = Repo() },
                new JsonObject { ["repository"] = repository, ["ref"] = reference, ["sha"] = body.Text("after") });
        }

        var commits = new JsonArray();
        foreach (var commit in body.Items("commits"))
        {
            commits.Add(new JsonObject { ["id"] = commit.Text("id"), ["timestamp"] = Values.Time(commit.Time("timestamp")) });
        }

        context.Emit("git-push.received", body.Text("after"), pushedAt, new JsonObject { ["repository"] = Repo() }, new JsonObject
        {
            ["repository"] = repository,
            ["ref"] = reference,
            ["branch"] = name,
            ["before"] = body.Text("before"),
            ["after"] = body.Text("after"),
            ["forced"] = body.Flag("forced"),
            ["pusher"] = body.Text("pusher", "name"),
            ["commits"] = commits,
        });
    }

    private static void Reference(HookContext context, string kind, string? repository, string? repositoryUrl)
    {
        var refType = context.Body.Text("ref_type");
        var type = (kind, refType) switch
        {
            ("create", "tag") => "git-tag.created",
            ("delete", "tag") => "git-tag.deleted",
            ("create", "branch") => "branch.created",
            ("delete", "branch") => "branch.deleted",
            _ => null,
        };
        context.Event = $"{kind}.{refType}";
        if (type is null)
        {
            context.Unmapped($"GitHub {kind} of a '{refType}' is not translated");
            return;
        }

        // These events carry no time of their own: the receipt time stands in.
        context.Emit(type, context.Body.Text("ref"), null, new JsonObject { ["repository"] = Values.Repository(repository, repositoryUrl) },
            new JsonObject { ["repository"] = repository, ["ref"] = context.Body.Text("ref"), ["refType"] = refType });
    }

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
            });
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

    private static string? ChangeId(string? repository, JsonElement pr) =>
        repository is null || pr.Number("number") is not { } number ? null : $"{repository}#{number}";

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

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>GitHub webhooks (event in <c>X-GitHub-Event</c>) as CDEvents; see docs/integrations.md for the table.</summary>
internal static partial class GitHubAdapter
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
            ["sourceRepository"] = pr.Text("head", "repo", "full_name"),
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
            // A commit pushed before (to another branch, merged in here) is not distinct: it is no commit of this branch's work.
            commits.Add(new JsonObject { ["id"] = commit.Text("id"), ["timestamp"] = Values.Time(commit.Time("timestamp")), ["distinct"] = commit.Flag("distinct") });
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

    private static string? ChangeId(string? repository, JsonElement pr) =>
        repository is null || pr.Number("number") is not { } number ? null : $"{repository}#{number}";
}

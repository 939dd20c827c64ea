using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>GitLab webhooks (kind in <c>object_kind</c>, else <c>X-Gitlab-Event</c>) as CDEvents; see docs/integrations.md.</summary>
internal static partial class GitLabAdapter
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
            ["sourceRepository"] = mr.Text("source", "path_with_namespace"),
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

    private static string? ProjectFromUrl(string? homepage) =>
        homepage is not null && Uri.TryCreate(homepage, UriKind.Absolute, out var uri) && uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path : null;
}

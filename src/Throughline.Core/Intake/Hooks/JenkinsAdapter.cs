using System.Text.Json.Nodes;

namespace Throughline.Intake.Hooks;

/// <summary>The Jenkins Notification plugin's JSON as pipeline runs: QUEUED, STARTED, COMPLETED (FINALIZED repeats COMPLETED and is kept unmapped).</summary>
internal static class JenkinsAdapter
{
    public static void Translate(HookContext context)
    {
        var body = context.Body;
        var build = body.At("build") ?? default;
        var phase = build.Text("phase");
        context.Event = $"build.{phase}";
        var predicate = phase switch
        {
            "QUEUED" => "queued",
            "STARTED" => "started",
            "COMPLETED" => "finished",
            _ => null,
        };
        if (predicate is null)
        {
            context.Unmapped(phase == "FINALIZED"
                ? "FINALIZED repeats COMPLETED, which was translated"
                : $"Jenkins phase '{phase}' is not translated");
            return;
        }

        var name = body.Text("name");
        var started = build.Time("timestamp");
        var duration = build.Number("duration");
        var finished = predicate == "finished" && started is { } start && duration is { } ms ? Timestamps.Plus(start, ms) : null;
        var status = build.Text("status");
        var outcome = predicate == "finished" ? Outcome(status) : null;
        var url = build.Text("full_url");
        context.Emit($"pipelinerun.{predicate}", name is null || build.Number("number") is not { } number ? null : $"{name}/{number}",
            predicate == "finished" ? finished : started,
            new JsonObject { ["pipelineName"] = name, ["uri"] = url, ["outcome"] = outcome },
            new JsonObject
            {
                ["pipeline"] = name,
                ["number"] = build.Number("number"),
                ["status"] = status,
                ["outcome"] = outcome,
                ["repositoryUrl"] = build.Text("scm", "url"),
                ["branch"] = build.Text("scm", "branch"),
                ["commitSha"] = build.Text("scm", "commit"),
                ["startedAt"] = Values.Time(started),
                ["finishedAt"] = Values.Time(finished),
                ["url"] = url,
            });
    }

    private static string? Outcome(string? status) => status switch
    {
        null => null,
        "SUCCESS" => "success",
        "FAILURE" or "UNSTABLE" => "failure",
        "ABORTED" or "NOT_BUILT" => "cancel",
        _ => "error",
    };
}

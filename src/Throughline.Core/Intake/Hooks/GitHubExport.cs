using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Intake.Hooks;

/// <summary>What one file of a GitHub export holds: the REST list endpoint it was saved from.</summary>
public enum GitHubExportKind
{
    /// <summary><c>repos/O/R/pulls?state=all</c>.</summary>
    PullRequests,

    /// <summary><c>repos/O/R/deployments</c>.</summary>
    Deployments,

    /// <summary><c>repos/O/R/deployments/ID/statuses</c>.</summary>
    DeploymentStatuses,

    /// <summary><c>repos/O/R/releases</c>.</summary>
    Releases,
}

/// <summary>One file of a GitHub export, read: its kind (null when it holds no object) and its objects, pages joined.</summary>
public sealed record GitHubExportFile(string Name, GitHubExportKind? Kind, IReadOnlyList<JsonObject> Objects);

/// <summary>What an export translates to: the events to store, and the objects that gave none, counted by reason.</summary>
public sealed record GitHubExportTranslation(IReadOnlyList<EventDraft> Events, IReadOnlyDictionary<string, int> Skipped);

/// <summary>
/// GitHub's REST list answers (pull requests, deployments and their statuses, releases), as <c>gh api --paginate</c> saves them,
/// translated by the GitHub webhook adapter: each object is wrapped in the delivery GitHub would have sent for it.
/// </summary>
/// <remarks>
/// <para>The REST objects are the webhooks' own schema, so the events are the webhooks' (types, subjects, times, content) with
/// two differences: the id is <c>github-export/OWNER/NAME/KIND/N/{n}</c>, derived from the object, and the origin is <c>cli</c>.
/// Importing the same export again therefore stores nothing new. A webhook delivery's ids name its GitHub delivery id instead,
/// so the same history received both ways is stored twice; the timeline joins change events by change id, so a change counts
/// once, and a deployment's event has the deployment status' id on both ways (<c>deployment-status/OWNER/NAME/ID</c>), so a
/// deployment is stored once.</para>
/// <para>A closed pull request gives what its <c>opened</c> and <c>closed</c> deliveries would; a deployment status needs its
/// deployment (joined by <c>deployment_url</c>); a deployment alone gives nothing, as its webhook does.</para>
/// </remarks>
public static class GitHubExport
{
    /// <summary>Reads one file: JSON arrays of objects, one or several concatenated (<c>[...][...]</c>); null with the reason when it is not one.</summary>
    public static GitHubExportFile? TryRead(string name, ReadOnlySpan<byte> utf8, out string? error)
    {
        var objects = new List<JsonObject>();
        GitHubExportKind? kind = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    error = $"{name}: expected JSON arrays of objects, as gh api --paginate writes them; found {reader.TokenType} at byte {reader.TokenStartIndex}";
                    return null;
                }

                var page = (JsonArray)JsonNode.Parse(ref reader)!;

                foreach (var item in page)
                {
                    var found = item is JsonObject found0 ? KindOf(found0) : null;
                    if (found is null || (kind is not null && found != kind))
                    {
                        error = $"{name}: object {objects.Count + 1} is not " + (kind is { } known ? Describe(known)
                            : "a pull request (number, head, base), deployment (sha, environment, ref, task), deployment status (state, deployment_url) or release (tag_name, published_at)");
                        return null;
                    }

                    kind = found;
                    objects.Add((JsonObject)item!);
                }
            }
        }
        catch (JsonException exception)
        {
            error = $"{name}: not JSON ({exception.Message})";
            return null;
        }

        error = null;
        return new GitHubExportFile(name, kind, objects);
    }

    /// <summary>The kind of REST object <paramref name="item"/> is, by its shape; null when none.</summary>
    public static GitHubExportKind? KindOf(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        bool Has(params string[] names) => names.All(item.ContainsKey);
        return Has("number", "head", "base") ? GitHubExportKind.PullRequests
            : Has("sha", "environment", "ref", "task") ? GitHubExportKind.Deployments
            : Has("state") && (Has("deployment_url") || Has("environment")) ? GitHubExportKind.DeploymentStatuses
            : Has("tag_name", "published_at") ? GitHubExportKind.Releases
            : null;
    }

    /// <summary>A kind as the messages name it.</summary>
    public static string Describe(GitHubExportKind kind) => kind switch
    {
        GitHubExportKind.PullRequests => "a pull request (number, head, base)",
        GitHubExportKind.Deployments => "a deployment (sha, environment, ref, task)",
        GitHubExportKind.DeploymentStatuses => "a deployment status (state, deployment_url)",
        _ => "a release (tag_name, published_at)",
    };

    /// <summary>Translates every object of <paramref name="files"/> with the GitHub adapter, as deliveries to <paramref name="tool"/>.</summary>
    /// <remarks>Deterministic: the same files, tool and model give the same events, byte for byte.</remarks>
    public static GitHubExportTranslation Translate(IReadOnlyList<GitHubExportFile> files, Tool tool, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(files);
        var deployments = new Dictionary<(string?, long?), JsonObject>();
        foreach (var deployment in files.Where(f => f.Kind == GitHubExportKind.Deployments).SelectMany(f => f.Objects))
        {
            deployments.TryAdd((RepositoryOfUrl(deployment, "repository_url"), Number(deployment["id"])), deployment);
        }

        var events = new List<EventDraft>();
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Deliver(string gitHubEvent, string deliveryId, JsonObject body, JsonObject item)
        {
            var message = new HookMessage(tool, model, deliveryId, new Dictionary<string, string> { ["x-github-event"] = gitHubEvent },
                body.ToJsonString(), Time(item["created_at"]) ?? DateTimeOffset.UnixEpoch);
            var translation = HookTranslator.Translate(message);
            if (translation.IsMapped)
            {
                events.AddRange(translation.Events.Select(e => e with { Origin = "cli" }));
            }
            else
            {
                Skip(skipped, translation.UnmappedReason!);
            }
        }

        foreach (var file in files)
        {
            foreach (var item in file.Objects)
            {
                switch (file.Kind)
                {
                    case GitHubExportKind.PullRequests:
                        var repository = Text(item["base"]?["repo"]?["full_name"]);
                        var repositoryUrl = Text(item["base"]?["repo"]?["html_url"]);
                        var id = $"github-export/{repository}/pulls/{Number(item["number"])}";
                        Deliver("pull_request", id + "/opened", Wrap("opened", "pull_request", item, repository, repositoryUrl), item);
                        if (Text(item["state"]) == "closed")
                        {
                            // The list endpoint leaves out `merged`, which the webhook carries: merged_at says it.
                            var closed = (JsonObject)item.DeepClone();
                            closed["merged"] = item["merged"]?.GetValueKind() == JsonValueKind.True || Text(item["merged_at"]) is not null;
                            Deliver("pull_request", id + "/closed", Wrap("closed", "pull_request", closed, repository, repositoryUrl), item);
                        }

                        break;
                    case GitHubExportKind.DeploymentStatuses:
                        var statusRepository = RepositoryOfUrl(item, "repository_url") ?? RepositoryOfUrl(item, "deployment_url");
                        var deploymentId = DeploymentIdOf(Text(item["deployment_url"]));
                        if (!deployments.TryGetValue((statusRepository, deploymentId), out var deployment))
                        {
                            Skip(skipped, "a deployment status whose deployment is in none of the files given (give its deployments file too)");
                            break;
                        }

                        var body = Wrap("created", "deployment_status", item, statusRepository, null);
                        body["deployment"] = deployment.DeepClone();
                        Deliver("deployment_status", $"github-export/{statusRepository}/deployment-statuses/{Number(item["id"])}", body, item);
                        break;
                    case GitHubExportKind.Releases:
                        var releaseRepository = RepositoryOfUrl(item, "url");
                        var html = Text(item["html_url"]);
                        var releasesAt = html?.IndexOf("/releases/", StringComparison.Ordinal) ?? -1;
                        Deliver("release", $"github-export/{releaseRepository}/releases/{Number(item["id"])}",
                            Wrap("published", "release", item, releaseRepository, releasesAt > 0 ? html![..releasesAt] : null), item);
                        break;
                }
            }
        }

        return new GitHubExportTranslation(events, skipped);
    }

    private static JsonObject Wrap(string action, string name, JsonObject item, string? repository, string? repositoryUrl) => new()
    {
        ["action"] = action,
        [name] = item.DeepClone(),
        ["repository"] = new JsonObject { ["full_name"] = repository, ["html_url"] = repositoryUrl },
    };

    private static void Skip(SortedDictionary<string, int> skipped, string reason) => skipped[reason] = skipped.GetValueOrDefault(reason) + 1;

    /// <summary><c>OWNER/NAME</c> from an API address (<c>https://api.github.com/repos/OWNER/NAME/...</c>, GitHub Enterprise's <c>/api/v3/repos/...</c> too).</summary>
    private static string? RepositoryOfUrl(JsonObject item, string property)
    {
        var segments = Text(item[property])?.Split('/');
        var at = segments is null ? -1 : Array.IndexOf(segments, "repos");
        return at >= 0 && at + 2 < segments!.Length ? $"{segments[at + 1]}/{segments[at + 2]}" : null;
    }

    private static long? DeploymentIdOf(string? url) =>
        url is not null && long.TryParse(url[(url.LastIndexOf('/') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static long? Number(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var value) ? value : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        DateTimeOffset.TryParse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}

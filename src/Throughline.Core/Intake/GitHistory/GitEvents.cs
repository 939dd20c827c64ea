using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Intake.Hooks;
using Throughline.Storage;

namespace Throughline.Intake.GitHistory;

/// <summary>The CDEvents an imported history becomes, read as every CDEvent is (<see cref="CdEventReader"/>, so held to <see cref="InputLimits"/>).</summary>
/// <remarks>
/// Idempotent: every id is derived from a commit's SHA (and a tag's name), and the store keeps one event per source and id, so
/// importing the same history again stores nothing new. Per change one <c>change.merged</c> (its merge commit as
/// <c>mergeCommitSha</c>, its first commit as <c>firstCommitAt</c>); per release tag an <c>artifact.packaged</c> from the
/// latest change its commit contains, and a <c>service.deployed</c> of that artifact to <c>production</c>. The timeline's
/// delivery rule (a deployment delivers its artifact's change and every change of the repository merged at or before it that
/// no earlier deployment delivered) then delivers exactly the changes the tag's commit contains that no earlier tag delivered,
/// because the line's committer times never decrease (docs/import.md says when they do).
/// </remarks>
public static class GitEvents
{
    // The webhooks never write artifact.packaged, so their table of versions lacks it: the version of spec 0.5.
    private const string PackagedType = CdEventVocabulary.StandardPrefix + "artifact.packaged.0.3.0";

    /// <summary>The origin recorded on imported events, the same as <c>ingest</c>'s.</summary>
    public const string Origin = "cli";

    /// <summary>The environment a release tag deploys to.</summary>
    public const string Environment = "production";

    /// <summary>The <c>context.source</c> of a repository's imported events.</summary>
    public static string SourceOf(string repository) => ReservedSources.Import + "/git/" + repository;

    /// <summary>The artifact a release tag names.</summary>
    public static string ArtifactOf(string repository, string tag) => $"pkg:generic/{repository}@{tag}";

    /// <summary>The id of a release tag's deployment: its name and commit, so a tag moved to another commit is a new deployment.</summary>
    public static string DeploymentId(string tag, string sha) => $"deployed-{tag}-{sha}";

    /// <summary>The events of <paramref name="history"/>, changes first; null with the errors when one breaks a limit (an over-long tag name).</summary>
    public static IEnumerable<(EventDraft? Draft, IReadOnlyList<IntakeError> Errors)> Translate(RepositoryHistory history, GitImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        var source = SourceOf(options.Repository);
        foreach (var change in history.Changes)
        {
            yield return Read(Event(source, "change-" + change.Sha, "change.merged", change.MergedAt, change.Id,
                new JsonObject { ["repository"] = new JsonObject { ["id"] = options.Repository } },
                new JsonObject
                {
                    ["repository"] = options.Repository,
                    ["mergeCommitSha"] = change.Sha,
                    ["firstCommitAt"] = Timestamps.Format(change.FirstCommitAt),
                    ["title"] = change.Title,
                    ["author"] = change.Author,
                    ["commits"] = change.Commits,
                    ["kind"] = JsonNamingPolicy.KebabCaseLower.ConvertName(change.Kind.ToString()),
                }));
        }

        var service = options.Service ?? options.Repository;
        foreach (var release in history.Releases)
        {
            var artifact = ArtifactOf(options.Repository, release.Tag);
            if (release.Latest is { } latest)
            {
                yield return Read(Event(source, $"packaged-{release.Tag}-{release.Sha}", "artifact.packaged", release.At, artifact,
                    new JsonObject { ["change"] = new JsonObject { ["id"] = latest.Id, ["source"] = source } },
                    new JsonObject { ["repository"] = options.Repository, ["tag"] = release.Tag }));
            }

            yield return Read(Event(source, DeploymentId(release.Tag, release.Sha), "service.deployed", release.At, service,
                new JsonObject { ["environment"] = new JsonObject { ["id"] = Environment }, ["artifactId"] = artifact },
                new JsonObject { ["repository"] = options.Repository, ["commitSha"] = release.Sha, ["tag"] = release.Tag }));
        }
    }

    private static JsonObject Event(string source, string id, string type, DateTimeOffset at, string subjectId, JsonObject content, JsonObject custom) =>
        WrittenEvents.Compose(source, id, type == "artifact.packaged" ? PackagedType : HookTranslator.FullType(type), at, subjectId, source, content, custom);

    private static (EventDraft?, IReadOnlyList<IntakeError>) Read(JsonObject cdEvent)
    {
        var errors = new List<IntakeError>();
        return (WrittenEvents.Read(cdEvent, Origin, errors), errors);
    }
}

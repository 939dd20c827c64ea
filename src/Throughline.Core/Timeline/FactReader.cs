using System.Text.Json;
using Throughline.Intake;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Timeline;

/// <summary>Reads the facts correlation needs out of a stored CDEvent.</summary>
/// <remarks>
/// Standard fields first (subject.content per the CDEvents schema), then <c>customData</c> with the names the
/// tool adapters and the simulator write (<c>changeId</c>, <c>repository</c>, <c>mergeCommitSha</c>,
/// <c>commitSha</c>, <c>author</c>, <c>title</c>, <c>commits</c>, <c>environment</c>, <c>service</c>,
/// <c>outcome</c>). A CloudEvent's <c>data</c> is unwrapped. Unmapped events and rows that cannot be read (<see cref="StoredEvent.Unreadable"/>) give no fact.
/// A change event's <c>subject.content.description</c> is kept apart from an explicit title, so that the timeline
/// can prefer any explicit title of the change's events over every description.
/// </remarks>
internal static class FactReader
{
    /// <summary>The fact in <paramref name="stored"/>, or null when it holds nothing the timeline uses.</summary>
    /// <param name="stored">The stored event.</param>
    /// <param name="pool">Shares the few-valued strings (source, kind, repository, service, environment, outcome, author, actor, name)
    /// between facts; null to keep each fact's own copies. Ids, commits and chains are not pooled: the pool lives as long as
    /// its reader, and those grow with every change.</param>
    /// <param name="ids">Shares the ids a group of facts repeats (see <see cref="ShareIds"/>); null to keep the fact's own.</param>
    public static Fact? Read(StoredEvent stored, StringPool? pool = null, StringPool? ids = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var e = stored.Event;
        if (stored.Unreadable is not null || !e.Mapped || !TryKind(e.Type, out var subject, out var predicate))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(e.Payload);
            var root = document.RootElement;
            if (root.TryGetProperty("data", out var data) && root.TryGetProperty("specversion", out _) && !root.TryGetProperty("context", out _))
            {
                root = data;
            }

            var fact = Read(stored.Sequence, e, subject, predicate, root);
            return pool is null && ids is null ? fact : Pooled(fact, pool, ids);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Fact Read(long sequence, EventDraft e, string subject, string predicate, JsonElement root)
    {
        var context = root.Property("context");
        var content = root.Property("subject").Property("content");
        var custom = root.Property("customData");
        var changeId = subject == "change" ? e.SubjectId : content.String("change", "id") ?? custom.String("changeId");
        var service = subject == "service" ? e.SubjectId : content.String("service", "id") ?? custom.String("service");
        var environment = content.String("environment", "id") ?? custom.String("environment");
        var sha = custom.String("mergeCommitSha") ?? custom.String("commitSha") ?? custom.String("sha") ?? custom.String("headSha");
        var title = custom.String("title");
        var health = ReservedSources.IsHealth(e.Source);
        var repository = content.String("repository", "id") ?? custom.String("repository");
        return new Fact(
            sequence, e.Source, e.Id, subject, predicate, e.Timestamp, e.SubjectId ?? "",
            ChainId: context.String("chainId"),
            ChangeId: changeId,
            Repository: repository,
            Sha: sha,
            ArtifactId: subject == "artifact" ? e.SubjectId : content.String("artifactId") ?? custom.String("artifactId"),
            Service: service,
            Environment: environment,
            Outcome: content.String("outcome") ?? custom.String("outcome"),
            Author: custom.String("author") ?? (health ? custom.String("actor") : null),
            Title: title,
            FirstCommitAt: EarliestCommit(custom),
            // An incident's labels are its tool's (Opsgenie tags, the Alertmanager rule): CDEvents gives them no field, so the adapters write customData.
            Labels: content.Strings("labels") ?? (subject == "incident" ? custom.Strings("labels") : null),
            Name: content.String("pipelineName") ?? content.String("testSuite", "name") ?? content.String("testSuite", "id") ?? content.String("taskName") ?? (health ? custom.String("name") : null),
            Paths: custom.Strings("paths"),
            Description: title is null && subject is "change" or "incident" ? content.String("description") : health ? custom.String("detail") : null,
            Value: health && custom.Property("value") is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null,
            Target: health ? custom.String("deploymentSource") : null,
            Baseline: health && custom.Property("baseline") is { ValueKind: JsonValueKind.Number } baseline ? baseline.GetDouble() : null,
            Actor: custom.String("actor") ?? custom.String("reviewer") ?? custom.String("approver") ?? custom.String("mergedBy") ?? custom.String("author"),
            Branch: subject == "git-push" ? custom.String("branch") : subject == "change" ? HeadBranch(custom, repository) : null);
    }

    /// <summary>
    /// The branch a change's work is pushed to in its own repository: <c>customData.sourceBranch</c>, unless the change comes
    /// from another repository (<c>sourceRepository</c>, compared ignoring case), or, where the event does not say (events stored
    /// before it was written), unless the branch has the target branch's name (a fork's <c>main</c> into <c>main</c>).
    /// </summary>
    private static string? HeadBranch(JsonElement custom, string? repository)
    {
        var branch = custom.String("sourceBranch");
        if (branch is null || repository is null)
        {
            return null;
        }

        return custom.String("sourceRepository") is { } from
            ? OperatingModel.RepositoryNames.Equals(from, repository) ? branch : null
            : branch == custom.String("targetBranch") ? null : branch;
    }

    /// <summary>
    /// <paramref name="fact"/> with the strings a change's events repeat (subject, change, chain, commit and artifact ids)
    /// taken from <paramref name="pool"/>: a pool that lives as long as the group of facts it serves, so it never
    /// outgrows them.
    /// </summary>
    public static Fact ShareIds(Fact fact, StringPool pool)
    {
        ArgumentNullException.ThrowIfNull(fact);
        ArgumentNullException.ThrowIfNull(pool);
        return Pooled(fact, null, pool);
    }

    /// <summary>One copy of <paramref name="fact"/> with its few-valued strings from <paramref name="pool"/> and its ids from <paramref name="ids"/>.</summary>
    private static Fact Pooled(Fact fact, StringPool? pool, StringPool? ids)
    {
        static string? From(StringPool? shared, string? value) => shared is null ? value : shared.Get(value);
        return fact with
        {
            Source = From(pool, fact.Source)!,
            Subject = From(pool, fact.Subject)!,
            Predicate = From(pool, fact.Predicate)!,
            Repository = From(pool, fact.Repository),
            Service = From(pool, fact.Service),
            Environment = From(pool, fact.Environment),
            Outcome = From(pool, fact.Outcome),
            Author = From(pool, fact.Author),
            Actor = From(pool, fact.Actor),
            Name = From(pool, fact.Name),
            Branch = From(ids, fact.Branch),
            SubjectId = From(ids, fact.SubjectId)!,
            ChainId = From(ids, fact.ChainId),
            ChangeId = From(ids, fact.ChangeId),
            Sha = From(ids, fact.Sha),
            ArtifactId = From(ids, fact.ArtifactId),
        };
    }

    /// <summary>The <c>subject.predicate</c> kind of a CDEvents or mapped custom type, or null for a type the timeline does not read.</summary>
    public static string? KindOf(string type) => TryKind(type, out var subject, out var predicate) ? subject + "." + predicate : null;

    private static bool TryKind(string type, out string subject, out string predicate)
    {
        if (CdEventVocabulary.TryParse(type, out subject, out predicate))
        {
            return true;
        }

        // Throughline's own mapped custom types: dev.cdeventsx.git-push.received.0.1.0 and the like.
        if (type.StartsWith(CdEventVocabulary.CustomPrefix, StringComparison.Ordinal))
        {
            var parts = type[CdEventVocabulary.CustomPrefix.Length..].Split('.');
            if (parts.Length >= 2)
            {
                (subject, predicate) = (parts[0], parts[1]);
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset? EarliestCommit(JsonElement custom)
    {
        DateTimeOffset? earliest = Timestamps.TryParseRfc3339(custom.String("firstCommitAt"), out var first) ? first : null;
        if (custom.Property("commits") is { ValueKind: JsonValueKind.Array } commits)
        {
            foreach (var commit in commits.EnumerateArray())
            {
                // A push's commit that was pushed before (merged in from another branch) is not this work's.
                if (commit.Flag("distinct") == false)
                {
                    continue;
                }

                if (Timestamps.TryParseRfc3339(commit.String("timestamp"), out var at) && (earliest is null || at < earliest))
                {
                    earliest = at;
                }
            }
        }

        return earliest;
    }
}

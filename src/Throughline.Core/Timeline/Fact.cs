namespace Throughline.Timeline;

/// <summary>One stored event reduced to what correlation needs: who it is about and when.</summary>
/// <remarks>
/// Facts are ordered by <see cref="Time"/>, then <see cref="Source"/> and <see cref="Id"/>, never by arrival, so
/// every result built from a set of facts is the same whatever order they arrived in.
/// </remarks>
/// <param name="Sequence">The stored event's position in the store (for links back to it).</param>
/// <param name="Source">CDEvents context.source.</param>
/// <param name="Id">CDEvents context.id.</param>
/// <param name="Subject">The CDEvents subject (<c>change</c>, <c>service</c>, ...), or the custom type's name.</param>
/// <param name="Predicate">The CDEvents predicate (<c>merged</c>, <c>deployed</c>, ...).</param>
/// <param name="Time">The event's own timestamp.</param>
/// <param name="SubjectId">CDEvents subject.id.</param>
/// <param name="ChainId">CDEvents context.chainId, linking the events of one journey.</param>
/// <param name="ChangeId">The change it is about (its own id for change events; the packaged change for artifacts).</param>
/// <param name="Repository">The repository (<c>owner/name</c>), when known.</param>
/// <param name="Sha">A commit: the merge commit of a merged change, the commit a pipeline built or a deployment shipped.</param>
/// <param name="ArtifactId">The artifact packaged, deployed, or named by an incident.</param>
/// <param name="Service">The service deployed or affected.</param>
/// <param name="Environment">The environment deployed to or affected.</param>
/// <param name="Outcome">success, failure, ... for runs and tests.</param>
/// <param name="Author">Who opened a change.</param>
/// <param name="Title">A change's title, given explicitly (<c>customData.title</c>).</param>
/// <param name="FirstCommitAt">The earliest commit time a change event reports.</param>
/// <param name="Labels">Ticket labels, <c>change:ID</c> and <c>artifact:ID</c> labels link tickets; an incident's labels (what its tool
/// says it is about).</param>
/// <param name="Name">A pipeline or test suite name.</param>
/// <param name="Paths">Files a change touches, when the tool reports them (monorepo service assignment).</param>
/// <param name="Description">
/// A change event's <c>subject.content.description</c>, the change's title when no event of it gives one explicitly;
/// null when this event gives an explicit <see cref="Title"/> (which wins anyway).
/// </param>
/// <param name="Value">A measured value: a metric rule's measurement among Throughline's release-health events.</param>
/// <param name="Target">What a release-health event is about besides its subject id: the source of the deployment it names.</param>
/// <param name="Baseline">A metric measurement's baseline: the same query's value for the previous deployment.</param>
/// <param name="Actor">
/// Who acted, as the tool names them (a login): <c>customData.actor</c>, else <c>reviewer</c>, <c>approver</c>, <c>mergedBy</c>,
/// else <c>author</c> (GitLab's acting user; GitHub's pull request opener, the only person its change events name); null when the
/// event names nobody.
/// </param>
/// <param name="Branch">
/// The branch a push went to (<c>git-push.received</c>), or the head branch of a change whose work is pushed to its own
/// repository (a pull request's <c>head.ref</c>, a merge request's source branch); null otherwise: a change from a fork
/// names a branch of another repository.
/// </param>
public sealed record Fact(
    long Sequence, string Source, string Id, string Subject, string Predicate, DateTimeOffset Time, string SubjectId,
    string? ChainId = null, string? ChangeId = null, string? Repository = null, string? Sha = null, string? ArtifactId = null,
    string? Service = null, string? Environment = null, string? Outcome = null, string? Author = null, string? Title = null,
    DateTimeOffset? FirstCommitAt = null, IReadOnlyList<string>? Labels = null, string? Name = null, IReadOnlyList<string>? Paths = null,
    string? Description = null, double? Value = null, string? Target = null, double? Baseline = null, string? Actor = null, string? Branch = null)
{
    /// <summary><c>subject.predicate</c>, the form flow matchers use.</summary>
    public string Kind => Subject + "." + Predicate;

    /// <summary>Whether this fact is of <paramref name="subject"/>.<paramref name="predicate"/>.</summary>
    public bool Is(string subject, string predicate) => Subject == subject && Predicate == predicate;

    /// <summary>The value a flow matcher filter names (<c>environment</c>, <c>service</c>, <c>outcome</c>, <c>name</c>, <c>repository</c>, <c>source</c>), or null.</summary>
    public string? Attribute(string key) => key switch
    {
        "environment" => Environment,
        "service" => Service,
        "outcome" => Outcome,
        "name" or "pipeline" => Name,
        "repository" => Repository,
        "source" => Source,
        _ => null,
    };

    /// <summary>The order every computation uses: time, then source, then id.</summary>
    public static int Compare(Fact? left, Fact? right)
    {
        if (ReferenceEquals(left, right))
        {
            return 0;
        }

        if (left is null || right is null)
        {
            return left is null ? -1 : 1;
        }

        var byTime = left.Time.UtcTicks.CompareTo(right.Time.UtcTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySource = string.CompareOrdinal(left.Source, right.Source);
        return bySource != 0 ? bySource : string.CompareOrdinal(left.Id, right.Id);
    }
}

namespace Throughline.Model;

/// <summary>
/// The events Throughline understands, as <c>subject.predicate</c>: every type CDEvents v0.3 to v0.6-draft defines,
/// and which fields a flow matcher may filter each subject's events on.
/// </summary>
/// <remarks>
/// The one owner of the vocabulary: intake maps exactly these types (<c>Intake/CdEventVocabulary.cs</c> reads them
/// from here) and the model checks every <c>starts</c>/<c>ends</c> against them. A filter key is a field the timeline
/// reads for that subject (<c>Timeline/Fact.cs</c>, <c>Attribute</c>); <c>source</c> is on every event.
/// Throughline's own custom types (<see cref="CustomKinds"/>) are mapped by intake but cannot be named by a matcher.
/// </remarks>
internal static class EventVocabulary
{
    private static readonly string[] Runs = ["queued", "started", "finished"];

    private static readonly Dictionary<string, (string[] Predicates, string[] Filters)> Subjects = new(StringComparer.Ordinal)
    {
        ["change"] = (["created", "updated", "reviewed", "merged", "abandoned"], ["source", "repository"]),
        ["branch"] = (["created", "deleted"], ["source", "repository"]),
        ["repository"] = (["created", "modified", "deleted"], ["source"]),
        ["build"] = (Runs, ["source", "repository", "outcome"]),
        ["testcaserun"] = ([.. Runs, "skipped"], ["source", "repository", "environment", "outcome"]),
        ["testsuiterun"] = (Runs, ["source", "repository", "environment", "outcome", "name"]),
        ["testoutput"] = (["published"], ["source"]),
        ["pipelinerun"] = (Runs, ["source", "repository", "outcome", "name", "pipeline"]),
        ["taskrun"] = (["started", "finished"], ["source", "repository", "outcome"]),
        ["artifact"] = (["packaged", "signed", "published", "downloaded", "deleted"], ["source", "repository"]),
        ["environment"] = (["created", "modified", "deleted"], ["source"]),
        ["service"] = (["deployed", "upgraded", "rolledback", "removed", "published"], ["source", "repository", "service", "environment"]),
        ["incident"] = (["detected", "reported", "resolved"], ["source", "service", "environment"]),
        ["ticket"] = (["created", "updated", "closed"], ["source"]),
        ["approval"] = (["created", "updated", "closed"], ["source", "repository"]),
    };

    /// <summary>Throughline's own custom types (<c>dev.cdeventsx.NAME.PREDICATE</c>), for facts CDEvents has no type for (yet).</summary>
    public static IReadOnlySet<string> CustomKinds { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "git-push.received", "git-tag.created", "git-tag.deleted", "git-release.published",
        "verification-metric.measured", "rollback.requested", "rollback.called", "release-notification.sent",
    };

    /// <summary>Every standard <c>subject.predicate</c>.</summary>
    public static IReadOnlySet<string> Kinds { get; } =
        Subjects.SelectMany(s => s.Value.Predicates.Select(p => s.Key + "." + p)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The subjects, in table order.</summary>
    public static IReadOnlyList<string> SubjectNames { get; } = [.. Subjects.Keys];

    /// <summary>True when <paramref name="subject"/> is a CDEvents subject.</summary>
    public static bool IsSubject(string subject) => Subjects.ContainsKey(subject);

    /// <summary>The predicates of <paramref name="subject"/>; empty for an unknown subject.</summary>
    public static IReadOnlyList<string> PredicatesOf(string subject) =>
        Subjects.TryGetValue(subject, out var entry) ? entry.Predicates : [];

    /// <summary>The filter keys a matcher on <paramref name="subject"/> may use; empty for an unknown subject.</summary>
    public static IReadOnlyList<string> FiltersOf(string subject) =>
        Subjects.TryGetValue(subject, out var entry) ? entry.Filters : [];

    /// <summary>The kinds of <paramref name="subject"/> with the given predicates (all its predicates when none is given).</summary>
    public static IEnumerable<string> Of(string subject, params string[] predicates) =>
        (predicates.Length == 0 ? PredicatesOf(subject) : predicates).Select(p => subject + "." + p);
}

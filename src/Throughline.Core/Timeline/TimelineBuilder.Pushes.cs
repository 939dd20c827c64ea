using Throughline.Model;

namespace Throughline.Timeline;

/// <summary>Pushes joined to the change whose head branch they push, for the change's first commit.</summary>
internal sealed partial class TimelineBuilder
{
    /// <summary>
    /// The rule: a push to branch B of repository R joins the change of R whose head branch is B and which had not ended
    /// (merged or abandoned) before the push; of several, the one that ended first. So a push before a pull request was
    /// opened joins it, and a branch reused after a merge feeds the next change on it, never the merged one. The change's
    /// first commit is then the earliest of what its own events report and the joined pushes' commit times.
    /// </summary>
    /// <remarks>Repositories compare ignoring case (<see cref="OperatingModel.RepositoryKey"/>, as the partitions hash them),
    /// branches exactly. Every push is judged against every change's whole story, so arrival order changes nothing.</remarks>
    private void JoinPushes()
    {
        if (_pushFacts.Count == 0)
        {
            return;
        }

        var byBranch = new Dictionary<(string Repository, string Branch), List<ChangeBuilder>>();
        foreach (var change in _changes.Values)
        {
            if (change is { Repository: { } repository, Branch: { } branch })
            {
                var key = (OperatingModel.RepositoryKey(repository), branch);
                if (!byBranch.TryGetValue(key, out var changes))
                {
                    byBranch[key] = changes = [];
                }

                changes.Add(change);
            }
        }

        foreach (var changes in byBranch.Values)
        {
            changes.Sort((left, right) =>
            {
                var order = (EndOf(left) ?? DateTimeOffset.MaxValue).CompareTo(EndOf(right) ?? DateTimeOffset.MaxValue);
                return order != 0 ? order : string.CompareOrdinal(left.Id, right.Id);
            });
        }

        foreach (var push in _pushFacts)
        {
            if (byBranch.TryGetValue((OperatingModel.RepositoryKey(push.Repository!), push.Branch!), out var changes)
                && changes.Find(c => EndOf(c) is not { } end || end >= push.Time) is { } change)
            {
                change.Events.Add(push);
                if (push.FirstCommitAt is { } commit && (change.PushedCommitAt is null || commit < change.PushedCommitAt))
                {
                    change.PushedCommitAt = commit;
                }
            }
        }
    }

    /// <summary>When a change stopped taking pushes: merged, else abandoned; null while open.</summary>
    private static DateTimeOffset? EndOf(ChangeBuilder change) => change.MergedAt ?? change.AbandonedAt;

    /// <summary>A change's start and what it rests on: the earliest commit (its own events' or its pushes'), else opened, else merged.</summary>
    private static (DateTimeOffset? At, StartBasis Basis) StartOf(ChangeBuilder change) =>
        (change.FirstCommitAt, change.PushedCommitAt) switch
        {
            ({ } own, { } pushed) when pushed < own => (pushed, StartBasis.Push),
            ({ } own, _) => (own, StartBasis.Commit),
            (null, { } pushed) => (pushed, StartBasis.Push),
            _ when change.CreatedAt is { } created => (created, StartBasis.Created),
            _ when change.MergedAt is { } merged => (merged, StartBasis.Merged),
            _ => (null, StartBasis.None),
        };

    private static DateTimeOffset? Earliest(DateTimeOffset? left, DateTimeOffset? right) =>
        left is null ? right : right is null || left <= right ? left : right;
}

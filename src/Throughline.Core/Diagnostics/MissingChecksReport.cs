namespace Throughline.Diagnostics;

/// <summary>Required checks that never reported, and reviews that never happened, in a window.</summary>
/// <param name="Stages">Per stage with <c>checks</c> and per service, the delivered changes missing some; only rows with a delivered change.</param>
/// <param name="Deployments">Production deployments in the window that delivered a change missing a required check when it went out.</param>
/// <param name="DeploymentsNotJudged">Production deployments in the window that delivered no known change, so cannot be judged.</param>
/// <param name="Merged">Changes merged in the window.</param>
/// <param name="Unreviewed">Of those, the ones with no review, by id.</param>
public sealed record MissingChecksReport(
    IReadOnlyList<StageChecks> Stages, IReadOnlyList<UncheckedDeployment> Deployments, int DeploymentsNotJudged, int Merged, IReadOnlyList<string> Unreviewed)
{
    /// <summary><see cref="Unreviewed"/> ÷ <see cref="Merged"/>; null when nothing was merged.</summary>
    public double? UnreviewedShare => Merged == 0 ? null : (double)Unreviewed.Count / Merged;
}

/// <summary>One stage's required checks for one service's delivered changes.</summary>
/// <param name="Stage">The stage id.</param>
/// <param name="Service">The changes' service.</param>
/// <param name="Required">The stage's <c>checks</c>.</param>
/// <param name="Delivered">Changes of the service first delivered to production in the window.</param>
/// <param name="Changes">Those for which some required check never reported, with the names missing.</param>
public sealed record StageChecks(string Stage, string Service, IReadOnlyList<string> Required, int Delivered, IReadOnlyList<ChangeMissing> Changes)
{
    /// <summary><see cref="Changes"/> ÷ <see cref="Delivered"/>.</summary>
    public double Share => (double)Changes.Count / Delivered;
}

/// <summary>A change and the required checks that never reported for it.</summary>
/// <param name="Change">The change id.</param>
/// <param name="Missing">The check names, in name order.</param>
public sealed record ChangeMissing(string Change, IReadOnlyList<string> Missing);

/// <summary>A production deployment that went out with a delivered change missing required checks.</summary>
/// <param name="Source">The deployment event's source.</param>
/// <param name="Id">The deployment event's id.</param>
/// <param name="Service">The service.</param>
/// <param name="Environment">The environment.</param>
/// <param name="At">When it went out.</param>
/// <param name="Changes">The delivered changes missing checks at that time, with the names.</param>
public sealed record UncheckedDeployment(string Source, string Id, string Service, string Environment, DateTimeOffset At, IReadOnlyList<ChangeMissing> Changes);

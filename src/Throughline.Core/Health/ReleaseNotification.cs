namespace Throughline.Health;

/// <summary>What a release-health notification tells: which step, about which deployment, why, and who is asked to act.</summary>
/// <param name="Type">The step, one of <see cref="NotificationTypes.All"/> (<c>release.failed</c>, <c>rollback.requested</c>…).</param>
/// <param name="Service">The service's id in the model.</param>
/// <param name="Environment">The environment's id in the model.</param>
/// <param name="DeploymentId">The deployment's id, which together with <paramref name="DeploymentSource"/> names it.</param>
/// <param name="DeploymentSource">The source of the deployment's events (a deployment is its source and id pair).</param>
/// <param name="State">The verdict's state as the board names it: <c>failed</c>, <c>rolled-back</c>…</param>
/// <param name="Reason">Why, in one sentence.</param>
/// <param name="Evidence">The signals behind the verdict, each a short line; may be empty.</param>
/// <param name="People">Who is asked to act (the holders of the responsibility); may be empty.</param>
/// <param name="Next">What happens next: "rolling back automatically", "a rollback needs a confirmation by someone holding 'rollback'".</param>
/// <param name="Url">The deployment's page: an absolute URL.</param>
/// <param name="At">When the step happened.</param>
public sealed record ReleaseNotification(
    string Type,
    string Service,
    string Environment,
    string DeploymentId,
    string DeploymentSource,
    string State,
    string Reason,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<NotifiedPerson> People,
    string Next,
    Uri Url,
    DateTimeOffset At);

/// <summary>Someone a notification asks to act.</summary>
/// <param name="Id">Their id in the model.</param>
/// <param name="Name">Their name as people read it.</param>
/// <param name="Contacts">How to reach them, as the model writes it (<c>mailto:…</c>, <c>slack:@ann</c>, a phone number).</param>
public sealed record NotifiedPerson(string Id, string Name, IReadOnlyList<string> Contacts);

/// <summary>The steps a release-health notification can be about: the <c>type</c> of its JSON payload.</summary>
/// <remarks>A public contract: receivers switch on these values, so a value is never renamed.</remarks>
public static class NotificationTypes
{
    /// <summary>A production deployment was judged failed.</summary>
    public const string ReleaseFailed = "release.failed";

    /// <summary>A rollback was asked for (by someone, or by the automatic policy).</summary>
    public const string RollbackRequested = "rollback.requested";

    /// <summary>The rollback action was called (its HTTP call's outcome, not yet the rollback's).</summary>
    public const string RollbackCalled = "rollback.called";

    /// <summary>The deployment was rolled back: the tool's event confirmed it.</summary>
    public const string RollbackDone = "rollback.done";

    /// <summary>A later deployment fixed the failure instead of a rollback.</summary>
    public const string ReleaseFixedForward = "release.fixed-forward";

    /// <summary>Every type, in the order the steps happen.</summary>
    public static readonly IReadOnlyList<string> All = [ReleaseFailed, RollbackRequested, RollbackCalled, RollbackDone, ReleaseFixedForward];
}

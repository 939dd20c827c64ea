namespace Throughline.Model;

/// <summary>One stage of the value stream, from commit to production, measured between two kinds of event.</summary>
/// <param name="Id">The stage's id.</param>
/// <param name="Name">A display name; null when not given (show the id).</param>
/// <param name="Owner">Who is accountable for the stage; resolve it per service with <see cref="OperatingModel.ResolveStageOwner"/>.</param>
/// <param name="Tool">The id of the tool whose events mark the stage; null when any tool's events count.</param>
/// <param name="Automated">True when no person acts in the stage (a pipeline); false by default.</param>
/// <param name="Starts">
/// The event that starts the stage; null when it has none, and then the whole wait since the previous stage
/// ended counts as queue time for this one.
/// </param>
/// <param name="Ends">The event that ends the stage (required).</param>
/// <param name="Checks">Automated checks the stage must run (<c>unit-tests</c>, <c>lint</c>); may be empty.</param>
public sealed record FlowStage(
    string Id,
    string? Name,
    StageOwner Owner,
    string? Tool,
    bool Automated,
    EventMatcher? Starts,
    EventMatcher Ends,
    IReadOnlyList<string> Checks);

/// <summary>Who owns a stage (or a rollback): a team, the service's owner, or whoever holds a responsibility.</summary>
/// <param name="Kind">Which of the three forms the file used.</param>
/// <param name="Name">The team id for <see cref="StageOwnerKind.Team"/>, the responsibility name for <see cref="StageOwnerKind.Responsibility"/>, empty for <see cref="StageOwnerKind.ServiceOwner"/>.</param>
public sealed record StageOwner(StageOwnerKind Kind, string Name)
{
    /// <summary>The owner as written in the file: <c>infra</c>, <c>service-owner</c> or <c>responsibilities.deploy-production</c>.</summary>
    public override string ToString() => Kind switch
    {
        StageOwnerKind.ServiceOwner => OperatingModel.ServiceOwnerKeyword,
        StageOwnerKind.Responsibility => OperatingModel.ResponsibilityPrefix + Name,
        _ => Name,
    };
}

/// <summary>The forms a stage owner takes in the file.</summary>
public enum StageOwnerKind
{
    /// <summary>A team id.</summary>
    Team,

    /// <summary><c>service-owner</c>: the team that owns the service going through the stage.</summary>
    ServiceOwner,

    /// <summary><c>responsibilities.NAME</c>: the team holding that responsibility for the service (its override, else the organization's).</summary>
    Responsibility,
}

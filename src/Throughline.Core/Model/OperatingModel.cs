namespace Throughline.Model;

/// <summary>
/// A software organisation's delivery operating model: its teams, services, tools, environments, who is
/// responsible for what, and the value stream every change flows through.
/// </summary>
/// <param name="Version">The format version; only 1 exists.</param>
/// <param name="Organization">The organisation's name.</param>
/// <param name="Teams">The teams; ids are unique.</param>
/// <param name="People">People and their tool logins; may be empty.</param>
/// <param name="Environments">The environments; at least one is production.</param>
/// <param name="Tools">The tools events come from; may be empty.</param>
/// <param name="Services">The services; each has an owner team.</param>
/// <param name="Responsibilities">Responsibility name (kebab-case, for example <c>deploy-production</c>) → id of the team that holds it.</param>
/// <param name="Flow">The value stream's stages, in order from commit to production.</param>
/// <param name="Health">Incident attribution, verification and rollback; <see cref="HealthSettings.Default"/> when not given.</param>
public sealed partial record OperatingModel(
    int Version,
    string Organization,
    IReadOnlyList<Team> Teams,
    IReadOnlyList<Person> People,
    IReadOnlyList<DeploymentEnvironment> Environments,
    IReadOnlyList<Tool> Tools,
    IReadOnlyList<Service> Services,
    IReadOnlyDictionary<string, string> Responsibilities,
    IReadOnlyList<FlowStage> Flow,
    HealthSettings Health)
{
    /// <summary>The warning signs' thresholds; <see cref="DiagnosticsSettings.Default"/> when the file has no <c>diagnostics</c> section.</summary>
    public DiagnosticsSettings Diagnostics { get; init; } = DiagnosticsSettings.Default;

    /// <summary>The stage owner that means the team owning the service.</summary>
    public const string ServiceOwnerKeyword = "service-owner";

    /// <summary>The prefix of a stage owner that names a responsibility.</summary>
    public const string ResponsibilityPrefix = "responsibilities.";

    /// <summary>The responsibilities Throughline itself acts on; other kebab-case names are allowed for flow stages.</summary>
    public static IReadOnlyList<string> KnownResponsibilities { get; } =
        ["approve-production", "deploy-production", "monitor", "rollback", "incident-response"];

    /// <summary>The environments whose deployments count for DORA metrics.</summary>
    public IEnumerable<DeploymentEnvironment> ProductionEnvironments => Environments.Where(e => e.IsProduction);

    /// <summary>Finds a service by id; null when there is none.</summary>
    public Service? FindService(string serviceId) => Services.FirstOrDefault(s => s.Id == serviceId);

    /// <summary>The id of the team that holds a responsibility for a service: the service's override, else the organization's.</summary>
    /// <returns>The team id, or null when neither the service nor the organization assigns the responsibility.</returns>
    public string? ResolveResponsibility(string responsibility, string serviceId) =>
        FindService(serviceId)?.Responsibilities.GetValueOrDefault(responsibility)
        ?? Responsibilities.GetValueOrDefault(responsibility);

    /// <summary>The id of the team that owns a stage for a given service.</summary>
    /// <returns>The team id, or null when the owner depends on a service that is not in the model.</returns>
    public string? ResolveStageOwner(FlowStage stage, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return ResolveOwner(stage.Owner, serviceId);
    }

    /// <summary>The id of the team an owner (of a stage or a rollback) stands for, for a given service.</summary>
    /// <returns>The team id, or null when the owner depends on a service that is not in the model.</returns>
    public string? ResolveOwner(StageOwner owner, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return owner.Kind switch
        {
            StageOwnerKind.ServiceOwner => FindService(serviceId)?.Owner,
            StageOwnerKind.Responsibility => ResolveResponsibility(owner.Name, serviceId),
            _ => owner.Name,
        };
    }
}

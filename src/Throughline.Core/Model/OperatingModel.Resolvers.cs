namespace Throughline.Model;

// The two naming rules intake and the timeline apply the same way (docs/timeline.md): which service a repository's code
// belongs to, and which environments are production. Each takes a null model for "no model loaded".
public sealed partial record OperatingModel
{
    /// <summary>How repository names compare: ignoring case, as GitHub and GitLab treat them (<c>Acme/Shop</c> is <c>acme/shop</c>).</summary>
    public static StringComparer RepositoryNames => StringComparer.OrdinalIgnoreCase;

    /// <summary>A key for grouping or hashing repositories: names that <see cref="RepositoryNames"/> finds equal have the same key.</summary>
    public static string RepositoryKey(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return repository.ToUpperInvariant();
    }

    /// <summary>The services whose <see cref="Service.Repositories"/> include <paramref name="repository"/> (ignoring case), in model order.</summary>
    public IEnumerable<Service> ServicesOfRepository(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return Services.Where(s => s.Repositories.Contains(repository, RepositoryNames));
    }

    /// <summary>The model's id for a service a tool named by its repository: the first service holding the repository, else the repository itself.</summary>
    /// <param name="model">The model; null when none is loaded (the repository is then its own service).</param>
    /// <param name="repository">The repository, <c>owner/name</c>.</param>
    public static string ServiceOfRepository(OperatingModel? model, string repository) =>
        model?.ServicesOfRepository(repository).FirstOrDefault()?.Id ?? repository;

    /// <summary>The model's id for a service a tool named: the name itself when it is a service id (exact), else as <see cref="ServiceOfRepository"/>.</summary>
    /// <param name="model">The model; null when none is loaded (every name is its own service).</param>
    /// <param name="named">A service id or a repository.</param>
    public static string ServiceIdFor(OperatingModel? model, string named) =>
        model is null || model.FindService(named) is not null ? named : ServiceOfRepository(model, named);

    /// <summary>True when deployments to <paramref name="environment"/> count as production (for DORA metrics and incident attribution).</summary>
    /// <remarks>
    /// With a model: exactly the environments it declares with <c>production: true</c> (ids compared exactly; an undeclared
    /// environment is not production, whatever its name). Without a model: the environments named <c>production</c> or <c>prod</c>.
    /// </remarks>
    public static bool IsProduction(OperatingModel? model, string environment) =>
        model is null
            ? environment is "production" or "prod"
            : model.Environments.Any(e => e.IsProduction && e.Id == environment);

    /// <summary>The environment of an event whose tool names none (a paging tool's incidents): the model's first production environment, else <c>production</c>.</summary>
    public static string DefaultProductionEnvironment(OperatingModel? model) =>
        model?.ProductionEnvironments.FirstOrDefault()?.Id ?? "production";
}

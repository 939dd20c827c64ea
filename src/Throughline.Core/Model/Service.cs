namespace Throughline.Model;

/// <summary>A service the organization builds and runs, and the code it is built from.</summary>
/// <param name="Id">The service's id, as deployment events name it.</param>
/// <param name="Name">A display name; null when not given (show the id).</param>
/// <param name="Owner">The id of the team that owns the service.</param>
/// <param name="Repositories">The repositories (<c>owner/name</c>) its code lives in; may be empty.</param>
/// <param name="Paths">
/// Globs of the paths in those repositories that belong to this service (for monorepos); empty means the whole repositories.
/// </param>
/// <param name="Responsibilities">Responsibility name → team id, overriding the organization's <see cref="OperatingModel.Responsibilities"/> for this service.</param>
public sealed record Service(
    string Id,
    string? Name,
    string Owner,
    IReadOnlyList<string> Repositories,
    IReadOnlyList<string> Paths,
    IReadOnlyDictionary<string, string> Responsibilities);

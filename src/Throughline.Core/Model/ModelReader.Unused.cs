using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>
/// The fields the reader checks but the product does not act on yet, each reported as a warning where it is written:
/// <c>people</c> (no event is attributed to a team by its login), a stage's <c>tool</c> (a stage counts every tool's
/// events), <c>automated</c> and <c>checks</c>, and a responsibility no stage owner (nor the rollback policy) names.
/// </summary>
/// <remarks>
/// Checked as strictly as the rest, so a file written today keeps working when they gain meaning; the warning keeps
/// anyone from believing Throughline already acts on them. Remove a field from here in the change that uses it.
/// The health fields of the same sort are in <c>ModelReader.Signals.cs</c>.
/// </remarks>
internal sealed partial class ModelReader
{
    private const string NotActedOn = "it is checked, but Throughline does not act on it in this version";

    private static readonly string[] StageKeysNotUsed = ["tool", "automated", "checks"];

    private readonly List<YamlScalar> _responsibilityKeys = [];

    private void NotUsedYet(YamlScalar key, string what, string why = NotActedOn) =>
        Add(key, ProblemSeverity.Warning, $"{what} accepted, not used yet ({why})", 0);

    private void UnusedPeople(YamlMapping root)
    {
        if (root.GetKey("people") is { } key)
        {
            NotUsedYet(key, "'people'", "no event is attributed to a team by its tool login in this version");
        }
    }

    private void UnusedStageKeys(YamlMapping stage, string context)
    {
        foreach (var name in StageKeysNotUsed)
        {
            if (stage.GetKey(name) is { } key)
            {
                NotUsedYet(key, $"'{name}' of {context}", name == "tool" ? "a stage counts the events of every tool in this version" : NotActedOn);
            }
        }
    }

    /// <summary>Warns about each responsibility (the organization's or a service's) that no stage owner names.</summary>
    private void UnusedResponsibilities(IReadOnlyList<FlowStage> flow)
    {
        var named = flow.Select(s => s.Owner).Concat(_healthOwners)
            .Where(o => o.Kind == StageOwnerKind.Responsibility).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _responsibilityKeys.Where(k => !named.Contains(k.Value)))
        {
            NotUsedYet(key, $"responsibility '{key.Value}'", "no flow stage is owned by 'responsibilities." + key.Value + "'");
        }
    }
}

using Throughline.Model.Yaml;

namespace Throughline.Model;

/// <summary>
/// The fields the reader checks but the product does not act on yet, each reported as a warning where it is written:
/// a stage's <c>tool</c> (a stage counts every tool's events) and <c>automated</c>, and a responsibility no stage owner
/// (nor the rollback policy) names. <c>people</c> and a stage's <c>checks</c> are used by the diagnostics (<c>Core/Diagnostics</c>:
/// the drift report attributes actors to teams, the missing checks report reads the checks).
/// </summary>
/// <remarks>
/// Checked as strictly as the rest, so a file written today keeps working when they gain meaning; the warning keeps
/// anyone from believing Throughline already acts on them. Remove a field from here in the change that uses it.
/// The health fields of the same sort are in <c>ModelReader.Signals.cs</c>.
/// </remarks>
internal sealed partial class ModelReader
{
    private const string NotActedOn = "it is checked, but Throughline does not act on it in this version";

    private static readonly string[] StageKeysNotUsed = ["tool", "automated"];

    private readonly List<YamlScalar> _responsibilityKeys = [];

    private void NotUsedYet(YamlScalar key, string what, string why = NotActedOn) =>
        Add(key, ProblemSeverity.Warning, $"{what} accepted, not used yet ({why})", 0);

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

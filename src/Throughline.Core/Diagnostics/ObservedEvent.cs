using Throughline.Intake;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Diagnostics;

/// <summary>Which declared tool an event came from, for the drift report and the tool connections.</summary>
/// <remarks>
/// An event that arrived through a tool's hook (origin <c>hook:TOOL</c>) is that tool's; otherwise its source decides, by the rule
/// of <see cref="ToolSources"/>. Throughline's own release-health events are no tool's and never undeclared.
/// </remarks>
public static class EventTools
{
    private const string HookOrigin = "hook:";

    /// <summary>The declared tool <paramref name="observed"/> came from; null when the model declares none that matches.</summary>
    public static Tool? ToolOf(ObservedEvent observed, OperatingModel model)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(model);
        return observed.Origin.StartsWith(HookOrigin, StringComparison.Ordinal)
            ? ToolSources.Find(model, observed.Origin[HookOrigin.Length..])
            : ToolSources.Of(observed.Source, model);
    }

    /// <summary>Whether the event is one Throughline wrote itself (release health): no tool's, never drift.</summary>
    public static bool IsOwn(ObservedEvent observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return ReservedSources.IsHealth(observed.Source);
    }
}

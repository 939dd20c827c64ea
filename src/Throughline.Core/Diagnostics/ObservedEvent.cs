using Throughline.Intake;
using Throughline.Model;

namespace Throughline.Diagnostics;

/// <summary>One stored event as the diagnostics read it: where it came from, when, and whether the timeline could read it.</summary>
/// <remarks>
/// The timeline keeps no event's source or arrival path, so the caller reads these from the store (one row per stored event,
/// unmapped ones included) and passes them in; the diagnostics stay pure functions of their inputs.
/// </remarks>
/// <param name="Sequence">The stored event's sequence number (for links back to it).</param>
/// <param name="Source">CDEvents <c>context.source</c>.</param>
/// <param name="Origin">How it arrived: <c>api</c>, <c>cli</c> or <c>hook:TOOL</c>.</param>
/// <param name="Type">The event type.</param>
/// <param name="Time">The event's own timestamp.</param>
/// <param name="Mapped">False when Throughline stored it without interpreting it (an unmapped event).</param>
/// <param name="Actor">Who the event says acted (<c>Fact.Actor</c>, read by <c>Timeline/FactReader.cs</c>); null when it names nobody. The
/// warning signs read it (who took part in a rollback, a person's first event).</param>
/// <param name="Service">The service the event names (<c>Fact.Service</c>); null when it names none.</param>
public sealed record ObservedEvent(long Sequence, string Source, string Origin, string Type, DateTimeOffset Time, bool Mapped, string? Actor = null, string? Service = null);

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

        // A source or hook names the same tool every time: looked up once per model (a history has a handful of sources and
        // a million events).
        var hook = observed.Origin.StartsWith(HookOrigin, StringComparison.Ordinal);
        var key = (hook, hook ? observed.Origin : observed.Source);
        var known = Known.GetValue(model, _ => new());
        return known.TryGetValue(key, out var tool) ? tool
            : known.Count < MaxKnown ? known.GetOrAdd(key, static (k, m) => Look(k.Hook, k.Text, m), model)
            : Look(hook, key.Item2, model);
    }

    /// <summary>The most sources (or hooks) remembered per model; a producer that names a source per run is looked up each time past it.</summary>
    private const int MaxKnown = 100_000;

    private static Tool? Look(bool hook, string text, OperatingModel model) =>
        hook ? ToolSources.Find(model, text[HookOrigin.Length..]) : ToolSources.Of(text, model);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<OperatingModel, System.Collections.Concurrent.ConcurrentDictionary<(bool Hook, string Text), Tool?>> Known = new();

    /// <summary>Whether the event is one Throughline wrote itself (release health): no tool's, never drift.</summary>
    public static bool IsOwn(ObservedEvent observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return ReservedSources.IsHealth(observed.Source);
    }
}

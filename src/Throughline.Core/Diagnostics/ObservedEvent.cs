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
public sealed record ObservedEvent(long Sequence, string Source, string Origin, string Type, DateTimeOffset Time, bool Mapped);

/// <summary>Which declared tool an event came from: the one rule the drift report and the tool connections share.</summary>
/// <remarks>
/// <para>In order: an event that arrived through a tool's hook (origin <c>hook:TOOL</c>) is that tool's; an event whose source is
/// <c>/hooks/TOOL</c> (or below it) is that tool's, as the webhook adapters write it; any other source (a CDEvents producer posting
/// to <c>POST /api/events</c> or read by <c>ingest</c>) is the tool whose id is the last of the source's host labels and path
/// segments, in that order, to equal a declared tool id (<c>https://github.com/acme/shop/actions</c> is <c>actions</c> when both
/// <c>github</c> and <c>actions</c> are declared). The model has no field naming a CDEvents producer's source, so its tool id in
/// the source is the declaration.</para>
/// <para>Throughline's own release-health events are no tool's and never undeclared.</para>
/// </remarks>
public static class EventTools
{
    private const string HookOrigin = "hook:";
    private const string HookSource = "/hooks/";

    /// <summary>The declared tool <paramref name="observed"/> came from; null when the model declares none that matches.</summary>
    public static Tool? ToolOf(ObservedEvent observed, OperatingModel model)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(model);
        if (observed.Origin.StartsWith(HookOrigin, StringComparison.Ordinal))
        {
            return Find(model, observed.Origin[HookOrigin.Length..]);
        }

        return ToolOfSource(observed.Source, model);
    }

    /// <summary>The declared tool a source names (see the remarks on <see cref="EventTools"/>); null when none.</summary>
    public static Tool? ToolOfSource(string source, OperatingModel model)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(model);
        if (source.StartsWith(HookSource, StringComparison.Ordinal))
        {
            var rest = source[HookSource.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return Find(model, slash < 0 ? rest : rest[..slash]);
        }

        Tool? found = null;
        foreach (var token in Tokens(source))
        {
            found = Find(model, token) ?? found;
        }

        return found;
    }

    /// <summary>Whether the event is one Throughline wrote itself (release health): no tool's, never drift.</summary>
    public static bool IsOwn(ObservedEvent observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return observed.Source == Health.HealthEvents.Source;
    }

    private static Tool? Find(OperatingModel model, string id) => model.Tools.FirstOrDefault(t => t.Id == id);

    /// <summary>The host labels, then the path segments, of a source (a URI or a path).</summary>
    private static IEnumerable<string> Tokens(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            return uri.Host.Split('.').Concat(uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        }

        return source.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }
}

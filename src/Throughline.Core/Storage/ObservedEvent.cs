namespace Throughline.Storage;

/// <summary>One stored event as the diagnostics read it (<see cref="IEventStore.ReadObservedAsync"/>): where it came from, when, and whether the timeline could read it.</summary>
/// <remarks>
/// The timeline keeps no event's source or arrival path, so the diagnostics' caller reads these from the store (one row per
/// stored event, unmapped ones included, no payload) and passes them in; the diagnostics stay pure functions of their inputs.
/// </remarks>
/// <param name="Sequence">The stored event's sequence number (for links back to it).</param>
/// <param name="Source">CDEvents <c>context.source</c>.</param>
/// <param name="Origin">How it arrived: <c>api</c>, <c>cli</c> or <c>hook:TOOL</c>.</param>
/// <param name="Type">The event type.</param>
/// <param name="Time">The event's own timestamp.</param>
/// <param name="Mapped">False when Throughline stored it without interpreting it (an unmapped event).</param>
public sealed record ObservedEvent(long Sequence, string Source, string Origin, string Type, DateTimeOffset Time, bool Mapped);

using System.Text;
using System.Text.Json;
using Throughline.Intake;
using Throughline.Storage;

namespace Throughline.Simulation;

/// <summary>Turns simulated events into drafts for the event store, checked exactly as <c>POST /api/events</c> checks them.</summary>
public static class SimulatedEventReader
{
    /// <summary>The drafts of <paramref name="events"/>, in order.</summary>
    /// <exception cref="InvalidOperationException">An event fails the intake checks: a bug in the simulator.</exception>
    public static List<EventDraft> ToDrafts(IEnumerable<SimulatedEvent> events, string origin)
    {
        ArgumentNullException.ThrowIfNull(events);
        var drafts = new List<EventDraft>();
        foreach (var simulated in events)
        {
            using var document = JsonDocument.Parse(simulated.Json);
            var errors = new List<IntakeError>();
            var draft = EventBatchReader.ReadItem(document.RootElement, null, origin, errors, Encoding.UTF8.GetString(simulated.Json))
                ?? throw new InvalidOperationException($"The simulator wrote an invalid event ({string.Join("; ", errors)}): {Encoding.UTF8.GetString(simulated.Json)}");
            drafts.Add(draft);
        }

        return drafts;
    }
}

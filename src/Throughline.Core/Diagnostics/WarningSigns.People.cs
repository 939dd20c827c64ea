using System.Globalization;
using Throughline.Metrics;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

public static partial class WarningSigns
{
    /// <summary>
    /// Over the model's people whose first change in production was first delivered in the window (in scope), the median
    /// (PERCENTILE_CONT) of the days from their first event to that delivery. A person's first event: the earliest event naming them as
    /// actor (<see cref="People"/>), or their first change's start (or delivery) if earlier. Their changes: those whose
    /// author's login is theirs, in the tool of the change's first event naming the author (else the login alone decides).
    /// </summary>
    private static Measured SlowOnboarding(Inputs inputs, MetricsQuery query)
    {
        var (firstEvent, firstChange) = inputs.Onboarding;
        var onboarded = new List<(string Person, double Days, DateTimeOffset First, ChangeTimeline Change)>();
        foreach (var (person, change) in firstChange)
        {
            var delivered = change.FirstProductionDeliveryAt!.Value;
            if (!query.Contains(delivered) || !FlowScope.Covers(change, query))
            {
                continue;
            }

            // An event after the delivery (the events reach the whole window's end) never makes the time negative.
            var first = Earliest(Earliest(delivered, change.StartedAt), firstEvent.TryGetValue(person, out var seen) ? seen : null);
            onboarded.Add((person, (delivered - first).TotalDays, first, change));
        }

        var value = Percentile.Of([.. onboarded.Select(o => o.Days).Order()], 0.5);
        var reading = onboarded.Count == 0
            ? "Nobody's first change reached production in the window."
            : $"{onboarded.Count} {(onboarded.Count == 1 ? "person" : "people")} had a first change in production: a median of {Readable.Hours(value * 24)} after their first event.";
        return new Measured(value,
            [.. onboarded.OrderByDescending(o => o.Days).ThenBy(o => o.Person, StringComparer.Ordinal)
                .Select(o => new SignEvidence(EvidenceKind.Person, o.Person, string.Create(CultureInfo.InvariantCulture,
                    $"{Readable.Hours(o.Days * 24)} from the first event ({o.First:yyyy-MM-dd HH:mm}) to the first change in production, {o.Change.Id}")))],
            reading);
    }

    /// <summary>
    /// Per person, the earliest event naming them as actor and their first change delivered to production (the earliest delivery, then
    /// the smaller id), over every event and change: what onboarding reads, whatever the part of the window.
    /// </summary>
    private static (Dictionary<string, DateTimeOffset> FirstEvent, Dictionary<string, ChangeTimeline> FirstChange) OnboardingOf(Inputs inputs)
    {
        var firstEvent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var observed in inputs.Events)
        {
            if (inputs.PersonOf(observed) is { } person && !(firstEvent.TryGetValue(person.Id, out var first) && first <= observed.Time))
            {
                firstEvent[person.Id] = observed.Time;
            }
        }

        var firstChange = new Dictionary<string, ChangeTimeline>(StringComparer.Ordinal);
        foreach (var change in inputs.Snapshot.Changes.Values)
        {
            if (change is not { Author: { } author, FirstProductionDeliveryAt: { } delivered } || AuthorOf(inputs, change, author) is not { } person)
            {
                continue;
            }

            if (!firstChange.TryGetValue(person.Id, out var earlier) || (delivered, change.Id).CompareTo((earlier.FirstProductionDeliveryAt!.Value, earlier.Id)) < 0)
            {
                firstChange[person.Id] = change;
            }
        }

        return (firstEvent, firstChange);
    }

    private static DateTimeOffset Earliest(DateTimeOffset time, DateTimeOffset? other) => other < time ? other.Value : time;

    /// <summary>The person who authored <paramref name="change"/>: the login in the tool of the change's first event naming it as actor, else the login alone.</summary>
    private static Model.Person? AuthorOf(Inputs inputs, ChangeTimeline change, string author)
    {
        foreach (var sequence in change.EventSequences)
        {
            if (inputs.BySequence.TryGetValue(sequence, out var observed) && string.Equals(observed.Actor, author, StringComparison.OrdinalIgnoreCase))
            {
                return inputs.People.Find(author, inputs.ToolOf(observed));
            }
        }

        return inputs.People.Find(author, null);
    }

    /// <summary>
    /// Per team boundary (the previous done stage's team → the stage's team, at a stage: <see cref="StageInterval.Handoff"/>), the waiting
    /// at the handoffs of the changes behind the window's lead time (<see cref="DoraCalculator.ChangesBehind"/>, lead time known) ÷ the sum
    /// of their lead times; the value is the largest boundary's share, 0 when no change crossed one.
    /// </summary>
    private static Measured BlameAtHandoffs(Inputs inputs, MetricsQuery query)
    {
        var changes = DoraCalculator.ChangesBehind(inputs.Snapshot, inputs.Model, query).Where(c => c.LeadHours is not null).ToList();
        var lead = changes.Sum(c => c.LeadHours!.Value);
        var waiting = new Dictionary<(string From, string To, string Stage), (double Hours, int Changes)>();
        foreach (var interval in changes.SelectMany(c => c.Change.Stages))
        {
            if (interval is { Status: StageStatus.Done, Handoff: true, FromTeam: { } from, Team: { } to, WaitingHours: { } hours })
            {
                var key = (from, to, interval.StageId);
                var (sum, count) = waiting.GetValueOrDefault(key);
                waiting[key] = (sum + hours, count + 1);
            }
        }

        if (lead <= 0)
        {
            return new Measured(null, [], "No change with a known lead time was first delivered in the window.");
        }

        var boundaries = waiting.Select(w => (w.Key.From, w.Key.To, w.Key.Stage, w.Value.Hours, w.Value.Changes, Share: w.Value.Hours / lead))
            .OrderByDescending(b => b.Share).ThenBy(b => b.From, StringComparer.Ordinal).ThenBy(b => b.To, StringComparer.Ordinal)
            .ThenBy(b => b.Stage, StringComparer.Ordinal).ToList();
        var value = boundaries.Count == 0 ? 0 : boundaries[0].Share;
        var reading = boundaries.Count == 0
            ? $"None of the {changes.Count} changes crossed a team boundary."
            : $"{Readable.Percent(value)} of the lead time of {changes.Count} changes was spent waiting at {boundaries[0].From} → {boundaries[0].To} ({boundaries[0].Stage}); {Readable.Percent(boundaries.Sum(b => b.Share))} at every boundary.";
        return new Measured(value,
            [.. boundaries.Select(b => new SignEvidence(EvidenceKind.Handoff, b.Stage,
                $"{b.From} → {b.To} at {b.Stage}: {Readable.Hours(b.Hours)} waiting over {b.Changes} change{(b.Changes == 1 ? "" : "s")}, {Readable.Percent(b.Share)} of {Readable.Hours(lead)} lead time")
            { FromTeam = b.From, ToTeam = b.To })],
            reading);
    }
}

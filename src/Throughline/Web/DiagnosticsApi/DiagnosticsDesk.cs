using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Web.DiagnosticsApi;

/// <summary>A diagnosis and how current it is.</summary>
/// <param name="Diagnosis">The diagnosis.</param>
/// <param name="ComputedAt">When it was computed.</param>
/// <param name="ThroughSequence">The last stored event it reflects (the timeline's watermark then).</param>
/// <param name="Refreshing">True when newer events arrived since and a fresh diagnosis is being computed: ask again for it.</param>
internal sealed record DiagnosticsAnswer(Diagnosis Diagnosis, DateTimeOffset ComputedAt, long ThroughSequence, bool Refreshing);

/// <summary>
/// Computes diagnoses for the server and keeps the latest one per question, so that a page does not wait for a Monte Carlo
/// replay after every new event: an answer is computed once, then served as it is while a fresh one is computed in the
/// background (stale while revalidating; the answer says which events it reflects).
/// </summary>
/// <remarks>
/// The first answer to a question is computed while the caller waits. At most <see cref="Kept"/> questions are kept (the least
/// recently asked goes first). The stored events' headers are read once and caught up as the timeline's watermark moves.
/// </remarks>
internal sealed partial class DiagnosticsDesk(IEventStore store, TimeProvider time, ILogger<DiagnosticsDesk> logger)
{
    /// <summary>How many questions' answers are kept.</summary>
    public const int Kept = 32;

    private readonly ObservedEventLog _events = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<Question, Entry> _entries = [];

    /// <summary>
    /// A question: the timeline asked (a reloaded model makes a new one, and nothing derived under the old model is served),
    /// the window as asked (null ends: "the last 30 days up to now"), the scope and the replay's options.
    /// </summary>
    private sealed record Question(TimelineProjection Projection, string? From, string? To, string? Service, string? Team, WhatIfOptions Options);

    private sealed class Entry
    {
        public DiagnosticsAnswer? Latest { get; set; }
        public Task<DiagnosticsAnswer>? Running { get; set; }
        public DateTimeOffset AskedAt { get; set; }
    }

    /// <summary>The diagnosis for the question; the latest kept one when there is one (refreshed in the background if stale).</summary>
    public async Task<DiagnosticsAnswer> AnswerAsync(
        TimelineProjection projection, MetricsQuery query, string? from, string? to, WhatIfOptions options, CancellationToken cancellationToken)
    {
        var (kept, running) = Ask(projection, query, from, to, options);
        return kept ?? await running!.WaitAsync(cancellationToken);
    }

    /// <summary>The latest kept diagnosis for the question without waiting: null while the first one is computed (it is started).</summary>
    public DiagnosticsAnswer? Peek(TimelineProjection projection, MetricsQuery query, string? from, string? to, WhatIfOptions options) =>
        Ask(projection, query, from, to, options).Kept;

    private (DiagnosticsAnswer? Kept, Task<DiagnosticsAnswer>? Running) Ask(
        TimelineProjection projection, MetricsQuery query, string? from, string? to, WhatIfOptions options)
    {
        var question = new Question(projection, from, to, query.Service, query.Team, options);
        lock (_gate)
        {
            if (!_entries.TryGetValue(question, out var entry))
            {
                Forget();
                _entries[question] = entry = new Entry();
            }

            entry.AskedAt = time.GetUtcNow();
            var stale = entry.Latest is not { } latest || latest.ThroughSequence < projection.Watermark || latest.Diagnosis.To < query.To;
            if (stale && entry.Running is null)
            {
                entry.Running = ComputeAsync(projection, query, options, entry);
            }

            return (entry.Latest is { } kept ? kept with { Refreshing = entry.Running is not null } : null, entry.Running);
        }
    }

    /// <summary>Computes the whole diagnosis on the thread pool (a replay takes seconds) and keeps it.</summary>
    private Task<DiagnosticsAnswer> ComputeAsync(TimelineProjection projection, MetricsQuery query, WhatIfOptions options, Entry entry) => Task.Run(async () =>
    {
        try
        {
            var snapshot = projection.Current;
            var watermark = projection.Watermark;
            await _events.CatchUpAsync(store, watermark, CancellationToken.None);
            var refused = await Diagnoses.RefusedDeliveriesAsync(store, query, CancellationToken.None);
            var diagnosis = Diagnoses.Compute(snapshot, projection.Model!, query, _events.View(), refused, options);
            var answer = new DiagnosticsAnswer(diagnosis, time.GetUtcNow(), watermark, false);
            lock (_gate)
            {
                entry.Latest = answer;
                entry.Running = null;
            }

            return answer;
        }
        catch (Exception exception)
        {
            lock (_gate)
            {
                entry.Running = null;
            }

            Log.Failed(logger, exception);
            throw;
        }
    });

    /// <summary>Drops the least recently asked question when <see cref="Kept"/> are held.</summary>
    private void Forget()
    {
        if (_entries.Count >= Kept)
        {
            _entries.Remove(_entries.MinBy(e => e.Value.AskedAt).Key);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "A diagnosis could not be computed")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}

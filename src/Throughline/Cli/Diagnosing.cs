using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Cli;

/// <summary>What <c>diagnose</c> and <c>docs</c> share: the window and scope read, the events loaded, the diagnosis computed, progress on stderr.</summary>
internal static class Diagnosing
{
    /// <summary>The diagnosis and the timeline it came from, or null after printing why not (a usage error: the window or the scope).</summary>
    public static async Task<(Diagnosis Diagnosis, TimelineProjection Projection)?> RunAsync(
        Console console, string verb, StoreAndModel opened, OperatingModel model, string? from, string? to, string? service, string? team, WhatIfOptions options,
        CancellationToken cancellationToken)
    {
        var query = MetricsQueryReader.Read(from, to, service, team, null, TimeProvider.System.GetUtcNow(), model, out var problems);
        if (query is null)
        {
            return await FailAsync(console, verb, problems);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await console.Error.WriteLineAsync($"throughline {verb}: reading the events of {opened.Store.Description}");
        var projection = new TimelineProjection(opened.Store, model, TimeProvider.System);
        await projection.CatchUpAsync(cancellationToken);
        if (query.ScopeProblems(projection.Current, model) is { Count: > 0 } unknown)
        {
            return await FailAsync(console, verb, unknown);
        }

        var log = new ObservedEventLog();
        await log.CatchUpAsync(opened.Store, projection.Watermark, cancellationToken);
        var refused = await Diagnoses.RefusedDeliveriesAsync(opened.Store, query, cancellationToken);
        await console.Error.WriteLineAsync(
            $"throughline {verb}: {projection.EventsRead:N0} events read in {clock.Elapsed.TotalSeconds:N1} s; replaying the flow {options.Trials:N0} times per scenario");
        var diagnosis = Diagnoses.Compute(projection.Current, model, query, log.View(), refused, options);
        foreach (var line in ReportText.UnreadableLines(projection.Unreadable, verb))
        {
            await console.Error.WriteLineAsync(line);
        }

        if (ReportText.EmptyWindowNotice(projection, query, from is null && to is null, opened.Store.Description) is { } notice)
        {
            await console.Error.WriteLineAsync($"throughline {verb}: {notice}");
        }

        return (diagnosis, projection);
    }

    private static async Task<(Diagnosis, TimelineProjection)?> FailAsync(Console console, string verb, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            await console.Error.WriteLineAsync($"throughline {verb}: {problem}");
        }

        return null;
    }
}

using System.CommandLine;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Cli;

internal static class RebuildCommand
{
    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        var command = new Command("rebuild", "Recompute every timeline from the stored events under the model, and print what it holds and its digest (the server's GET /api/timeline shows the same).")
        {
            database, model,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(console, EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Console console, string database, FileInfo? modelFile, CancellationToken cancellationToken)
    {
        await using var opened = await StoreAndModel.OpenAsync(console, database, modelFile, cancellationToken);
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        var (store, model) = (opened.Store, opened.Model);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var projection = new TimelineProjection(store, model, TimeProvider.System);
        await projection.CatchUpAsync(cancellationToken);
        var snapshot = projection.Current;
        var changes = snapshot.Changes.Values.ToList();
        await console.Output.WriteLineAsync($"Rebuilt from {projection.EventsRead:N0} events in {clock.Elapsed.TotalSeconds:N1} s (reading {projection.LastReadDuration.TotalSeconds:N1} s, correlating {projection.LastBuildDuration.TotalSeconds:N1} s){(model is null ? "; no model: no stages" : "")}:");
        await console.Output.WriteLineAsync(
            $"  changes      {changes.Count:N0}: {changes.Count(c => c.State == ChangeState.Open):N0} open, {changes.Count(c => c.State == ChangeState.Merged):N0} merged, " +
            $"{changes.Count(c => c.State == ChangeState.Delivered):N0} delivered ({changes.Count(c => c.PredatesHistory):N0} predating the history), {changes.Count(c => c.State == ChangeState.Abandoned):N0} abandoned");
        await console.Output.WriteLineAsync(
            $"  deployments  {snapshot.Deployments.Count:N0}: {snapshot.Deployments.Count(d => d.Production):N0} to production, {snapshot.Deployments.Count(d => d.IsRollback):N0} rollbacks, " +
            $"{snapshot.Deployments.Count(d => d.Production && !d.IsRollback && d.ChangeId is null):N0} with no linked change");
        await console.Output.WriteLineAsync(
            $"  incidents    {snapshot.Incidents.Count:N0}: {snapshot.Incidents.Count(i => i.Basis == "artifact"):N0} attributed by artifact, {snapshot.Incidents.Count(i => i.Basis == "window"):N0} by window, " +
            $"{snapshot.Incidents.Count(i => i.Basis is null):N0} unattributed");
        await console.Output.WriteLineAsync($"  digest       {TimelineDigest.Compute(snapshot)}");
        foreach (var line in ReportText.UnreadableLines(projection.Unreadable, "rebuild"))
        {
            await console.Error.WriteLineAsync(line);
        }

        return ExitCodes.Success;
    }
}

using System.CommandLine;
using System.Text.Json;
using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Cli;

internal static class DiagnoseCommand
{
    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        model.Required = true;
        var from = new Option<string?>("--from") { Description = "Window start, ISO 8601, inclusive (default: 30 days before --to).", HelpName = "TIME" };
        var to = new Option<string?>("--to") { Description = "Window end, ISO 8601, exclusive (default: now).", HelpName = "TIME" };
        var service = new Option<string?>("--service") { Description = "Only this service." };
        var team = new Option<string?>("--team") { Description = "Only the stages this team holds (what-if: the services it owns)." };
        var format = new Option<string>("--format") { Description = "text (for a terminal) or json (as GET /api/diagnostics).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var seed = new Option<int>("--seed") { Description = "Seeds the what-if replay: the same seed, the same advice.", DefaultValueFactory = _ => 1 };
        var trials = new Option<int>("--trials") { Description = $"Trials per what-if scenario (1 to {WhatIfOptions.MaxTrials:N0}).", DefaultValueFactory = _ => new WhatIfOptions().Trials };
        var command = new Command("diagnose", "What to fix next, offline, from the stored events and the model: the what-if advice, the warning signs, drift from the model, tools, missing checks.")
        {
            database, model, from, to, service, team, format, seed, trials,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var count = parsed.GetValue(trials);
            if (count is < 1 or > WhatIfOptions.MaxTrials)
            {
                await console.Error.WriteLineAsync($"throughline diagnose: --trials {count}: expected 1 to {WhatIfOptions.MaxTrials:N0}");
                return ExitCodes.Usage;
            }

            await using var opened = await StoreAndModel.OpenAsync(console, EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), cancellationToken);
            if (opened?.Model is not { } operatingModel)
            {
                return ExitCodes.InvalidInput;
            }

            var query = MetricsQueryReader.Read(
                parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(service), parsed.GetValue(team), null, TimeProvider.System.GetUtcNow(), operatingModel, out var problems);
            if (query is null)
            {
                foreach (var problem in problems)
                {
                    await console.Error.WriteLineAsync($"throughline diagnose: {problem}");
                }

                return ExitCodes.Usage;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            await console.Error.WriteLineAsync($"throughline diagnose: reading the events of {opened.Store.Description}");
            var projection = new TimelineProjection(opened.Store, operatingModel, TimeProvider.System);
            await projection.CatchUpAsync(cancellationToken);
            if (query.ScopeProblems(projection.Current, operatingModel) is { Count: > 0 } unknown)
            {
                foreach (var problem in unknown)
                {
                    await console.Error.WriteLineAsync($"throughline diagnose: {problem}");
                }

                return ExitCodes.Usage;
            }

            var log = new ObservedEventLog();
            await log.CatchUpAsync(opened.Store, projection.Watermark, cancellationToken);
            var refused = await Diagnoses.RefusedDeliveriesAsync(opened.Store, query, cancellationToken);
            var options = new WhatIfOptions { Seed = parsed.GetValue(seed), Trials = count };
            await console.Error.WriteLineAsync(
                $"throughline diagnose: {projection.EventsRead:N0} events read in {clock.Elapsed.TotalSeconds:N1} s; replaying the flow {options.Trials:N0} times per scenario");
            var diagnosis = Diagnoses.Compute(projection.Current, operatingModel, query, log.View(), refused, options);
            await console.Output.WriteAsync(parsed.GetValue(format) == "json"
                ? JsonSerializer.Serialize(diagnosis, ReportCommand.Json) + "\n"
                : DiagnosisText.Write(diagnosis, operatingModel.Organization));
            foreach (var line in ReportText.UnreadableLines(projection.Unreadable, "diagnose"))
            {
                await console.Error.WriteLineAsync(line);
            }

            var defaultWindow = parsed.GetValue(from) is null && parsed.GetValue(to) is null;
            if (ReportText.EmptyWindowNotice(projection, query, defaultWindow, opened.Store.Description) is { } notice)
            {
                await console.Error.WriteLineAsync($"throughline diagnose: {notice}");
            }

            await console.Error.WriteLineAsync($"throughline diagnose: done in {clock.Elapsed.TotalSeconds:N1} s");
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;
using Throughline.Diagnostics;
using Throughline.Storage;

namespace Throughline.Cli;

internal static class DiagnoseCommand
{
    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        model.Description = "The operating model (throughline.yaml); default: the last model a server put in force in the database.";
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

            await using var opened = await StoreAndModel.OpenWithModelAsync(console, "diagnose", EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), cancellationToken);
            if (opened?.Model is not { } operatingModel)
            {
                return ExitCodes.InvalidInput;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var options = new WhatIfOptions { Seed = parsed.GetValue(seed), Trials = count };
            if (await Diagnosing.RunAsync(console, "diagnose", opened, operatingModel, parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(service), parsed.GetValue(team), options, cancellationToken)
                is not var (diagnosis, _))
            {
                return ExitCodes.Usage;
            }

            await console.Output.WriteAsync(parsed.GetValue(format) == "json"
                ? JsonSerializer.Serialize(diagnosis, ReportCommand.Json) + "\n"
                : DiagnosisText.Write(diagnosis, operatingModel.Organization));
            await console.Error.WriteLineAsync($"throughline diagnose: done in {clock.Elapsed.TotalSeconds:N1} s");
            return ExitCodes.Success;
        });
        return command;
    }
}

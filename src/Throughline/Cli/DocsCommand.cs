using System.CommandLine;
using Throughline.Diagnostics;
using Throughline.Onboarding;
using Throughline.Storage;

namespace Throughline.Cli;

internal static class DocsCommand
{
    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        model.Description = "The operating model (throughline.yaml); default: the last model a server put in force in the database.";
        var output = new Option<string>("--out") { Description = "The folder to write the Markdown into (created if missing; pages already there are replaced).", HelpName = "DIR", Required = true };
        var service = new Option<string?>("--service") { Description = "Only this service's page (and the index)." };
        var team = new Option<string?>("--team") { Description = "Only this team's page (and the index)." };
        var to = new Option<string?>("--to") { Description = "The end of the 30 days observed, ISO 8601 (default: now).", HelpName = "TIME" };
        var command = new Command("docs", "Write \"how code moves to production here\" as Markdown: an index, a page per service and per team, from the model and the last 30 days observed.")
        {
            database, model, output, service, team, to,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var opened = await StoreAndModel.OpenWithModelAsync(console, "docs", EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), cancellationToken);
            if (opened?.Model is not { } operatingModel)
            {
                return ExitCodes.InvalidInput;
            }

            var (onlyService, onlyTeam) = (parsed.GetValue(service), parsed.GetValue(team));
            foreach (var (option, id, known) in new[] { ("--service", onlyService, operatingModel.Services.Select(s => s.Id)), ("--team", onlyTeam, operatingModel.Teams.Select(t => t.Id)) })
            {
                if (id is not null && !known.Contains(id, StringComparer.Ordinal))
                {
                    await console.Error.WriteLineAsync($"throughline docs: {option} '{id}' is not in the model (expected one of: {string.Join(", ", known)})");
                    return ExitCodes.Usage;
                }
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var end = parsed.GetValue(to);
            if (await Diagnosing.RunAsync(console, "docs", opened, operatingModel, null, end, null, null, new WhatIfOptions(), cancellationToken) is not var (diagnosis, projection))
            {
                return ExitCodes.Usage;
            }

            var pages = OnboardingDocs.Write(projection.Current, operatingModel, diagnosis, diagnosis.To, onlyService, onlyTeam);
            var folder = Path.GetFullPath(parsed.GetValue(output)!);
            foreach (var page in pages)
            {
                var path = Path.Combine(folder, page.Path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, page.Markdown, cancellationToken);
            }

            var services = pages.Count(p => p.Path.StartsWith("services/", StringComparison.Ordinal));
            var teams = pages.Count(p => p.Path.StartsWith("teams/", StringComparison.Ordinal));
            await console.Output.WriteLineAsync(
                $"Wrote an index, {services} service page{(services == 1 ? "" : "s")} and {teams} team page{(teams == 1 ? "" : "s")} to {folder} " +
                $"(observed {diagnosis.From:yyyy-MM-dd HH:mm} to {diagnosis.To:yyyy-MM-dd HH:mm} UTC) in {clock.Elapsed.TotalSeconds:N1} s.");
            return ExitCodes.Success;
        });
        return command;
    }
}

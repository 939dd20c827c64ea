using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Throughline.Metrics;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Cli;

internal static class ReportCommand
{
    /// <summary>The same JSON the HTTP API writes: camelCase, enums as kebab-case text.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        var from = new Option<string?>("--from") { Description = "Window start, ISO 8601, inclusive (default: 30 days before --to).", HelpName = "TIME" };
        var to = new Option<string?>("--to") { Description = "Window end, ISO 8601, exclusive (default: now).", HelpName = "TIME" };
        var service = new Option<string?>("--service") { Description = "Only this service." };
        var team = new Option<string?>("--team") { Description = "Only the services this team owns (needs --model)." };
        var environment = new Option<string?>("--environment") { Description = "Only this environment (default: every production environment)." };
        var format = new Option<string>("--format") { Description = "table (for a terminal), json (as GET /api/metrics/dora and /flow), or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var command = new Command("report", "The DORA and flow metrics and the data quality report, offline, from the stored events.")
        {
            database, model, from, to, service, team, environment, format,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var opened = await StoreAndModel.OpenAsync(console, EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), cancellationToken);
            if (opened is null)
            {
                return ExitCodes.InvalidInput;
            }

            var query = MetricsQueryReader.Read(
                parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(service), parsed.GetValue(team), parsed.GetValue(environment),
                TimeProvider.System.GetUtcNow(), opened.Model, out var problems);
            if (query is null)
            {
                foreach (var problem in problems)
                {
                    await console.Error.WriteLineAsync($"throughline report: {problem}");
                }

                return ExitCodes.Usage;
            }

            var projection = new TimelineProjection(opened.Store, opened.Model, TimeProvider.System);
            await projection.CatchUpAsync(cancellationToken);
            if (query.ScopeProblems(projection.Current, opened.Model) is { Count: > 0 } unknown)
            {
                foreach (var problem in unknown)
                {
                    await console.Error.WriteLineAsync($"throughline report: {problem}");
                }

                return ExitCodes.Usage;
            }

            var dora = MetricsAnswers.Dora(projection.Current, opened.Model, query, null, bands: true, projection.Unmapped);
            var flow = MetricsAnswers.Flow(projection.Current, opened.Model, query, projection.Unmapped);
            await console.Output.WriteAsync(parsed.GetValue(format) switch
            {
                "json" => JsonSerializer.Serialize(new { dora, flow }, Json) + "\n",
                "csv" => ReportText.Csv(dora, flow),
                _ => ReportText.Table(dora, flow),
            });
            foreach (var line in ReportText.UnreadableLines(projection.Unreadable, "report"))
            {
                await console.Error.WriteLineAsync(line);
            }

            var defaultWindow = parsed.GetValue(from) is null && parsed.GetValue(to) is null;
            if (ReportText.EmptyWindowNotice(projection, query, defaultWindow, opened.Store.Description) is { } notice)
            {
                await console.Error.WriteLineAsync($"throughline report: {notice}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

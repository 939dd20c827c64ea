using System.CommandLine;
using System.Globalization;
using Throughline.Simulation;

namespace Throughline.Cli;

internal static class SimulateCommand
{
    public static Command Create(Console console)
    {
        var options = SimulationArguments.Create();
        var output = new Option<string>("--out") { Description = "Where to write the history, as CDEvents in JSON lines.", HelpName = "FILE.jsonl", Required = true };
        var modelOutput = new Option<string?>("--model-out") { Description = "Where to write the operating model of the simulated organisation.", HelpName = "FILE.yaml" };
        var command = new Command("simulate", "Write the history of a simulated software organisation as CDEvents, and its operating model. Same seed, same bytes.")
        {
            output, modelOutput,
        };
        options.AddTo(command);
        command.SetAction((parsed, cancellationToken) => RunAsync(console, options, parsed, parsed.GetValue(output)!, parsed.GetValue(modelOutput), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        Console console, SimulationArguments arguments, ParseResult parsed, string output, string? modelOutput, CancellationToken cancellationToken)
    {
        if (await arguments.ReadAsync(console, parsed, SimulationOptions.DefaultStart) is not { } options)
        {
            return ExitCodes.Usage;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastShown = TimeSpan.Zero;
        HistoryFile.Summary summary;
        await using (var stream = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
        {
            summary = await HistoryFile.WriteAsync(options, stream, async (day, events) =>
            {
                if (clock.Elapsed - lastShown >= TimeSpan.FromSeconds(1) || day == options.Days)
                {
                    lastShown = clock.Elapsed;
                    await console.Error.WriteLineAsync($"simulate: day {day:N0} of {options.Days:N0}, {events:N0} events");
                }
            }, cancellationToken);
        }

        if (modelOutput is not null)
        {
            await File.WriteAllTextAsync(modelOutput, ModelWriter.Write(SimulatedOrganisation.Create(options), options), cancellationToken);
        }

        await console.Output.WriteLineAsync(
            $"Wrote {summary.Events:N0} events ({summary.Changes:N0} changes over {options.Days} days from {options.Start:yyyy-MM-dd}) " +
            $"to {output} ({summary.Bytes / 1048576.0:N1} MiB) in {clock.Elapsed.TotalSeconds:N1} s" +
            (modelOutput is null ? "." : $"; the operating model to {modelOutput}."));
        if (summary.Truth is { } truth)
        {
            var truthOutput = SimulationTruth.PathFor(output);
            await File.WriteAllTextAsync(truthOutput, truth.ToJson(), cancellationToken);
            await console.Output.WriteLineAsync($"Wrote what was injected ({Injected(truth)}) to {truthOutput}.");
        }

        return ExitCodes.Success;
    }

    private static string Injected(SimulationTruth truth) => string.Join("; ", new[]
    {
        truth.Bottleneck is { } bottleneck ? $"{bottleneck.Stage} waiting × {bottleneck.Factor.ToString(CultureInfo.InvariantCulture)}" : null,
        truth.SelfApproval is { } approval ? $"{approval.Team} signed off {approval.Approvals.Count:N0} of its own changes" : null,
    }.OfType<string>());
}

/// <summary>The options that shape a simulated organisation, shared by <c>simulate</c> and <c>demo</c>.</summary>
internal sealed class SimulationArguments
{
    private readonly Option<int> _seed = new("--seed") { Description = "Seeds every random choice.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _teams = new("--teams") { Description = "Teams (at least 4).", DefaultValueFactory = _ => 6 };
    private readonly Option<int> _services = new("--services") { Description = "Services (at least 2).", DefaultValueFactory = _ => 8 };
    private readonly Option<int> _days = new("--days") { Description = "Days of history.", DefaultValueFactory = _ => 90 };
    private readonly Option<double> _changesPerDay = new("--changes-per-day") { Description = "Mean changes opened per weekday across all services.", DefaultValueFactory = _ => 24 };
    private readonly Option<string?> _start = new("--start") { Description = "First day, YYYY-MM-DD (UTC).", HelpName = "DATE" };

    private readonly Option<string?> _bottleneck = new("--bottleneck")
    {
        Description = $"Inject a bottleneck: the stage's waiting multiplied by FACTOR (default {SimulatedBottleneck.DefaultFactor}); stages: {string.Join(", ", SimulatedBottleneck.Stages)}.",
        HelpName = "STAGE[=FACTOR]",
    };

    private readonly Option<string?> _selfApprovingTeam = new("--self-approving-team")
    {
        Description = "Inject drift: this team's own people sign off its services' QA tickets, instead of QA (the declared approve-production).",
        HelpName = "TEAM",
    };

    public static SimulationArguments Create() => new();

    public void AddTo(Command command, bool withStart = true)
    {
        command.Options.Add(_seed);
        command.Options.Add(_teams);
        command.Options.Add(_services);
        command.Options.Add(_days);
        command.Options.Add(_changesPerDay);
        command.Options.Add(_bottleneck);
        command.Options.Add(_selfApprovingTeam);
        if (withStart)
        {
            _start.Description += $" Default {SimulationOptions.DefaultStart:yyyy-MM-dd}.";
            command.Options.Add(_start);
        }
    }

    /// <summary>The options, or null after printing each problem.</summary>
    public async Task<SimulationOptions?> ReadAsync(Console console, ParseResult parsed, DateTimeOffset defaultStart)
    {
        var start = defaultStart;
        var startText = parsed.GetValue(_start);
        if (startText is not null && !DateTimeOffset.TryParseExact(startText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            await console.Error.WriteLineAsync($"throughline: --start '{startText}' is not a date (expected YYYY-MM-DD, for example 2026-01-05).");
            return null;
        }

        SimulatedBottleneck? bottleneck = null;
        if (parsed.GetValue(_bottleneck) is { } bottleneckText && !SimulatedBottleneck.TryParse(bottleneckText, out bottleneck, out var bottleneckProblem))
        {
            await console.Error.WriteLineAsync($"throughline: {bottleneckProblem}");
            return null;
        }

        var options = new SimulationOptions
        {
            Seed = parsed.GetValue(_seed),
            Teams = parsed.GetValue(_teams),
            Services = parsed.GetValue(_services),
            Days = parsed.GetValue(_days),
            ChangesPerDay = parsed.GetValue(_changesPerDay),
            Start = start,
            Bottleneck = bottleneck,
            SelfApprovingTeam = parsed.GetValue(_selfApprovingTeam),
        };
        var problems = options.Problems();
        foreach (var problem in problems)
        {
            await console.Error.WriteLineAsync($"throughline: {problem}");
        }

        return problems.Count == 0 ? options : null;
    }
}

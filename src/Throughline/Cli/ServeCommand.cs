using System.CommandLine;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Web;
using Throughline.Web.Auth;
using Throughline.Web.ModelReload;

namespace Throughline.Cli;

internal static class ServeCommand
{
    public static Command Create(Console console)
    {
        var model = CommonOptions.Model();
        var database = CommonOptions.Database();
        var urls = new Option<string?>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (default http://localhost:5000; use http://127.0.0.1:0 for any free port).",
            HelpName = "URL",
        };
        var cache = new Option<int?>("--timeline-cache")
        {
            Description = $"How many events the timeline keeps in memory (default {Timeline.TimelineProjection.DefaultCachedFacts:N0}, about 400 bytes each). " +
                "The rest stay in the database and are read back when their part of the timeline changes: less memory, slower updates.",
            HelpName = "EVENTS",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var events))
                {
                    result.AddError($"--timeline-cache takes a whole number of events; '{text}' is not one.");
                    return null;
                }

                if (events < 0)
                {
                    result.AddError("--timeline-cache must be 0 or more events.");
                    return null;
                }

                return events;
            },
        };
        var logLevel = CommonOptions.LogLevel();
        var access = new AccessOptions();
        var command = new Command("serve", "Run the Throughline server: event intake, API and pages. Every request needs a token or a sign-in " +
            "(see docs/security.md); the first start on an empty database prints an admin token.") { model, database, urls, cache, logLevel };
        foreach (var option in access.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) => await access.ReadAsync(parsed, console) is { } settings
            ? await RunAsync(
                console, parsed.GetValue(model), EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(urls), parsed.GetValue(cache),
                parsed.GetValue(logLevel), settings, cancellationToken)
            : ExitCodes.InvalidInput);
        return command;
    }

    private static async Task<int> RunAsync(
        Console console, FileInfo? modelFile, string database, string? urls, int? cachedFacts, LogLevel logLevel, AccessSettings access,
        CancellationToken cancellationToken)
    {
        OperatingModel? model = null;
        IReadOnlyList<ModelProblem> warnings = [];
        ModelSource? source = null;
        if (modelFile is not null)
        {
            if (await ModelOutput.LoadSourceAsync(console, modelFile.FullName, SecretUse.Required) is not { } loaded)
            {
                return ExitCodes.InvalidInput;
            }

            (model, warnings, source) = (loaded.Loaded.Model, loaded.Loaded.Problems, loaded.Source);
        }

        var opened = await DatabaseErrors.TryAsync(console, database, () =>
            ThroughlineApp.CreateAsync(new ServeSettings(database, urls, model, warnings, cachedFacts, logLevel, source, access), cancellationToken: cancellationToken));
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using var app = opened;
        if (await Listening.StartAsync(app, console, urls, cancellationToken) is not { } addresses)
        {
            return ExitCodes.InvalidInput;
        }

        var store = app.Services.GetRequiredService<IEventStore>();
        await AccessOptions.PrintFirstAdminTokenAsync(store, console, cancellationToken);
        await console.Output.WriteLineAsync($"Throughline is serving {store.Provider} database {store.Description} at {string.Join(", ", addresses)}");
        await console.Output.WriteLineAsync("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }
}

using System.CommandLine;
using System.Security.Cryptography;
using Throughline.Access;
using Throughline.Simulation;
using Throughline.Storage;
using Throughline.Web;
using Throughline.Web.Demo;

namespace Throughline.Cli;

internal static class DemoCommand
{
    private const int BatchSize = 5000;
    private static readonly TimeSpan MinimumReplay = TimeSpan.FromHours(6);

    public static Command Create(Console console)
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on (default http://localhost:5000).", HelpName = "URL" };
        var database = new Option<string?>("--db")
        {
            Description = "An empty SQLite file or PostgreSQL database to fill (default: a new file in a temporary folder).",
            HelpName = "FILE|CONNECTION-STRING",
        };
        var speed = new Option<double>("--speed")
        {
            Description = "How fast the live part replays, in simulated seconds per real second, until it reaches the present; real time after that.",
            DefaultValueFactory = _ => 180,
        };
        var logLevel = CommonOptions.LogLevel();
        var simulation = SimulationArguments.Create();
        var command = new Command("demo", "Serve a simulated organisation: about 90 days of history, then new events arriving live. The first thing to run.")
        {
            urls, database, speed, logLevel,
        };
        simulation.AddTo(command, withStart: false);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var liveFrom = ReplayStart(TimeProvider.System.GetUtcNow());
            var days = parsed.GetValue<int>("--days");
            var start = new DateTimeOffset(liveFrom.UtcDateTime.Date, TimeSpan.Zero).AddDays(-days);
            if (await simulation.ReadAsync(console, parsed, start) is not { } options)
            {
                return ExitCodes.Usage;
            }

            if (parsed.GetValue(speed) is var pace && pace is < 1 or > 100_000)
            {
                await console.Error.WriteLineAsync($"throughline demo: --speed {pace}: expected 1 to 100000.");
                return ExitCodes.Usage;
            }

            var run = new DemoRun(options, parsed.GetValue(database), parsed.GetValue(urls), parsed.GetValue(logLevel), liveFrom, pace);
            return await RunInTemporaryFolderAsync(console, run, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The history stops at the start of the latest working day that began at least six hours ago, and the rest
    /// replays live: the first minutes of a demo always show a team's working hours, not a quiet night.
    /// </summary>
    internal static DateTimeOffset ReplayStart(DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(WorkingHours.StartHour);
        while (day > now - MinimumReplay || day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>Runs the demo with its model (and database, unless --db names one) in a new folder, removed however the demo ends.</summary>
    private static async Task<int> RunInTemporaryFolderAsync(Console console, DemoRun run, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("throughline-demo-").FullName;
        try
        {
            return await RunAsync(console, run, folder, cancellationToken);
        }
        finally
        {
            // The server and its database are disposed by now (RunAsync's 'await using'), so no file is held open.
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"throughline demo: could not remove the demo's folder {folder} ({exception.Message}); delete it by hand.");
            }
        }
    }

    private static async Task<int> RunAsync(Console console, DemoRun run, string folder, CancellationToken cancellationToken)
    {
        var (urls, liveFrom, speed) = (run.Urls, run.LiveFrom, run.Speed);
        // The first deployment of the live part fails its smoke tests: whoever tries the demo sees a failed release at once.
        var options = run.Options with { FailSmokeTestAfter = liveFrom };
        var database = run.Database ?? Path.Combine(folder, "throughline.db");
        var organisation = SimulatedOrganisation.Create(options);
        var simulator = new HistorySimulator(options, organisation);
        var clock = new DemoClock(liveFrom, speed, TimeProvider.System);

        // The organisation's chat and Argo CD listen before the model is written, which names their address. The rollback
        // action's secret is made here and handed over in this process's environment, as the model reads secrets.
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Environment.SetEnvironmentVariable(ModelWriter.RollbackSecretVariable, secret);
        await using var tools = await DemoTools.StartAsync(new DemoToolsSettings(simulator, clock, secret, console.Error), cancellationToken);
        var modelPath = Path.Combine(folder, "throughline.yaml");
        await File.WriteAllTextAsync(modelPath, ModelWriter.Write(organisation, options, tools.Address), cancellationToken);
        var (loaded, source) = await ModelOutput.LoadSourceAsync(console, modelPath, SecretUse.Checked)
            ?? throw new InvalidOperationException($"The simulated organisation's model {modelPath} is invalid.");

        var opened = await DatabaseErrors.TryAsync(console, database, () => ThroughlineApp.CreateAsync(
            new ServeSettings(database, urls, loaded.Model, loaded.Problems, LogLevel: run.LogLevel, ModelSource: source),
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddSingleton(new DemoSettings(simulator, clock));
                builder.Services.AddSingleton(tools.Received);
                builder.Services.AddHostedService<DemoFeed>();
            },
            cancellationToken));
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using var app = opened;
        var store = app.Services.GetRequiredService<IEventStore>();
        tools.Connect(store);
        if (await store.CountAsync(cancellationToken) > 0)
        {
            await console.Error.WriteLineAsync($"throughline demo: {DatabaseErrors.Redact(database)} already holds events; the demo needs an empty database (leave --db out for a new one).");
            return ExitCodes.InvalidInput;
        }

        var history = await LoadHistoryAsync(console, simulator, store, liveFrom, cancellationToken);
        if (await Listening.StartAsync(app, console, urls, cancellationToken) is not { } addresses)
        {
            return ExitCodes.InvalidInput;
        }

        await console.Output.WriteLineAsync($"Throughline demo: {organisation.Name}, {organisation.Teams.Count} teams, {organisation.Services.Count} services.");
        await console.Output.WriteLineAsync($"Loaded {history:N0} events ({simulator.ChangesOpened:N0} changes over {options.Days} days); new events arrive live at {speed:N0}x until they reach the present.");
        await console.Output.WriteLineAsync($"Database: {store.Description}   Model: {modelPath}");
        var now = TimeProvider.System.GetUtcNow();
        var admin = await ApiTokens.CreateAsync(store, Role.Admin, [], "demo admin", "demo", now, null, onlyIfFirst: false, cancellationToken);
        var viewer = await ApiTokens.CreateAsync(store, Role.Viewer, [], "demo viewer", "demo", now, null, onlyIfFirst: false, cancellationToken);
        await console.Output.WriteLineAsync($"Admin token (for the API and /audit): {admin!.Secret}");
        await console.Output.WriteLineAsync(
            $"Open {string.Join(" or ", addresses.Select(a => $"{a.TrimEnd('/')}/sign-in?token={viewer!.Secret}"))}   (a viewer's link; Ctrl+C to stop)");
        await app.WaitForShutdownAsync(cancellationToken);
        // Before the app (and its store) is disposed: a rollback under way must not write to a closed store.
        await tools.DisposeAsync();
        return ExitCodes.Success;
    }

    private static async Task<long> LoadHistoryAsync(Console console, HistorySimulator simulator, IEventStore store, DateTimeOffset until, CancellationToken cancellationToken)
    {
        long stored = 0;
        var batch = new List<SimulatedEvent>(BatchSize);
        async Task FlushAsync()
        {
            var drafts = SimulatedEventReader.ToDrafts(batch, "demo");
            stored += (await store.AppendAsync(drafts, TimeProvider.System.GetUtcNow(), cancellationToken)).Accepted;
            batch.Clear();
        }

        await console.Error.WriteLineAsync($"demo: simulating from {simulator.Start:yyyy-MM-dd} to {until:yyyy-MM-dd HH:mm} UTC ...");
        foreach (var simulated in simulator.RunUntil(until))
        {
            batch.Add(simulated);
            if (batch.Count == BatchSize)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        return stored;
    }
}

/// <summary>What one <c>demo</c> was asked for.</summary>
/// <param name="Options">The simulated organisation and how much history it has.</param>
/// <param name="Database">The --db to fill; null for a new SQLite file in the demo's temporary folder.</param>
/// <param name="Urls">The --urls to listen on; null for ASP.NET's default.</param>
/// <param name="LogLevel">The --log-level of the server.</param>
/// <param name="LiveFrom">Where the stored history stops and the live replay starts.</param>
/// <param name="Speed">Simulated seconds per real second until the replay reaches the present.</param>
internal sealed record DemoRun(SimulationOptions Options, string? Database, string? Urls, LogLevel LogLevel, DateTimeOffset LiveFrom, double Speed);

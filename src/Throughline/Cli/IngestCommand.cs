using System.CommandLine;
using Throughline.Storage;

namespace Throughline.Cli;

internal static class IngestCommand
{
    private const int BatchSize = 5000;

    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        var files = new Argument<string[]>("FILE")
        {
            Description = "CDEvents as one JSON object, a JSON array, or JSON lines; '-' reads standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("ingest", "Store CDEvents from files, checked as POST /api/events checks them: all files valid, or nothing stored.")
        {
            database, model, files,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            console, EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), parsed.GetValue(files)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Console console, string database, FileInfo? modelFile, string[] names, CancellationToken cancellationToken)
    {
        if (modelFile is not null && !await ModelOutput.CheckAsync(console, modelFile.FullName, SecretUse.Unused))
        {
            return ExitCodes.InvalidInput;
        }

        await using var files = await EventFiles.OpenAsync(names, console, cancellationToken);
        if (files is null || await files.CheckAsync(console, cancellationToken) is not { } total)
        {
            return ExitCodes.InvalidInput;
        }

        var opened = await DatabaseErrors.TryAsync(console, database, () => EventStoreFactory.OpenAsync(database, cancellationToken));
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using var store = opened;
        var progress = new ProgressLine(console, "ingest", total);
        long done = 0, accepted = 0, duplicates = 0, unmapped = 0;
        await foreach (var batch in files.BatchesAsync(BatchSize, cancellationToken))
        {
            var result = await store.AppendAsync(batch, TimeProvider.System.GetUtcNow(), cancellationToken);
            done += batch.Count;
            accepted += result.Accepted;
            duplicates += result.Duplicates;
            unmapped += batch.Count(e => !e.Mapped);
            await progress.ReportAsync(done);
        }

        await console.Output.WriteLineAsync(
            $"Stored {accepted:N0} new events ({duplicates:N0} duplicates, {unmapped:N0} unmapped) from {names.Length} file(s) " +
            $"into {store.Provider} {store.Description} in {progress.Elapsed.TotalSeconds:F1} s.");
        return ExitCodes.Success;
    }
}

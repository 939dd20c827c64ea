using System.CommandLine;
using System.Diagnostics;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Cli;

/// <summary><c>import github-export</c>: GitHub's REST list answers saved by <c>gh api --paginate</c>, translated as the webhooks are.</summary>
internal static class GitHubExportImport
{
    private const int BatchSize = 5000;

    public static Command Create(Console console)
    {
        var database = CommonOptions.Database();
        var model = CommonOptions.Model();
        var files = new Argument<string[]>("FILE")
        {
            Description = "What gh api --paginate saved from repos/OWNER/NAME/pulls?state=all, .../deployments, .../deployments/ID/statuses or .../releases: " +
                "JSON arrays, one per page; each file's kind is told by its objects. A statuses file needs its deployments file too.",
            Arity = ArgumentArity.OneOrMore,
        };
        var tool = new Option<string>("--tool")
        {
            Description = "The model's GitHub tool whose webhooks the export stands in for: the events' source is /hooks/TOOL, as its webhooks' is.",
            HelpName = "TOOL",
            DefaultValueFactory = _ => "github",
        };
        var command = new Command("github-export", "Store GitHub's pull requests, deployment statuses and releases from an export, translated as their webhooks are (docs/import.md).")
        {
            database, model, tool, files,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            console, EventStoreFactory.Resolve(parsed.GetValue(database)), parsed.GetValue(model), parsed.GetValue(tool)!, parsed.GetValue(files)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Console console, string database, FileInfo? modelFile, string toolId, string[] names, CancellationToken cancellationToken)
    {
        const string Verb = "import github-export";
        var clock = Stopwatch.StartNew();
        OperatingModel? model = null;
        if (modelFile is not null && (model = await ModelOutput.LoadAsync(console, modelFile.FullName, SecretUse.Unused)) is null)
        {
            return ExitCodes.InvalidInput;
        }

        var tool = model?.Tools.FirstOrDefault(t => t.Id == toolId);
        if (tool is not null && tool.Kind.Name != "github")
        {
            await console.Error.WriteLineAsync($"{Verb}: error: --tool {toolId} is a {tool.Kind.Name} tool in the model, not a github one");
            return ExitCodes.Usage;
        }

        tool ??= new Tool(toolId, new ToolKind("github"), null, null, new Dictionary<string, string>());
        var read = new List<GitHubExportFile>();
        foreach (var name in names)
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(name, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"{Verb}: error: {name}: cannot be read ({exception.Message}). Nothing was stored.");
                return ExitCodes.InvalidInput;
            }

            if (GitHubExport.TryRead(name, bytes, out var error) is not { } file)
            {
                await console.Error.WriteLineAsync($"{Verb}: error: {error}. Nothing was stored.");
                return ExitCodes.InvalidInput;
            }

            await console.Error.WriteLineAsync($"{Verb}: {name}: {file.Objects.Count:N0} {Plural(file.Kind)}");
            read.Add(file);
        }

        var translation = GitHubExport.Translate(read, tool, model);
        var opened = await DatabaseErrors.TryAsync(console, database, () => EventStoreFactory.OpenAsync(database, cancellationToken));
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using var store = opened;
        var progress = new ProgressLine(console, Verb, translation.Events.Count);
        long done = 0, accepted = 0, duplicates = 0;
        foreach (var batch in translation.Events.Chunk(BatchSize))
        {
            var result = await store.AppendAsync(batch, TimeProvider.System.GetUtcNow(), cancellationToken);
            done += batch.Length;
            accepted += result.Accepted;
            duplicates += result.Duplicates;
            await progress.ReportAsync(done);
        }

        await console.Output.WriteLineAsync($"Read from {names.Length} file(s):");
        foreach (var kind in read.Where(f => f.Kind is not null).GroupBy(f => f.Kind))
        {
            await console.Output.WriteLineAsync($"{kind.Sum(f => f.Objects.Count),8:N0} {Plural(kind.Key)}");
        }

        await console.Output.WriteLineAsync(translation.Skipped.Count == 0 ? "Every object read gave its events." : $"{translation.Skipped.Values.Sum():N0} objects gave no event:");
        foreach (var (reason, count) in translation.Skipped)
        {
            await console.Output.WriteLineAsync($"{count,8:N0} {reason}");
        }

        await console.Output.WriteLineAsync(
            $"Stored {accepted:N0} new events ({duplicates:N0} duplicates) of {translation.Events.Count:N0} into {store.Provider} {store.Description} in {clock.Elapsed.TotalSeconds:F1} s.");
        return ExitCodes.Success;
    }

    private static string Plural(GitHubExportKind? kind) => kind switch
    {
        null => "objects (an empty list)",
        GitHubExportKind.PullRequests => "pull requests",
        GitHubExportKind.Deployments => "deployments (joined to their statuses: a deployment alone gives no event, as its webhook gives none)",
        GitHubExportKind.DeploymentStatuses => "deployment statuses",
        _ => "releases",
    };
}

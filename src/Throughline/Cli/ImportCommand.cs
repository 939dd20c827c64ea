using System.CommandLine;
using System.Globalization;
using Throughline.Intake.GitHistory;
using Throughline.Storage;

namespace Throughline.Cli;

/// <summary><c>import</c>: histories kept elsewhere, stored as CDEvents; one subcommand per kind (<c>git</c>, <c>github-export</c>).</summary>
internal static class ImportCommand
{
    private const int BatchSize = 5000;

    public static Command Create(Console console) => new("import", "Store the history a tool already holds as CDEvents; importing again stores nothing new.")
    {
        Git(console),
        GitHubExportImport.Create(console),
    };

    private static Command Git(Console console)
    {
        var database = CommonOptions.Database();
        var path = new Argument<string>("PATH") { Description = "A local git repository (a work tree or a bare one)." };
        var repository = new Option<string>("--repository")
        {
            Description = "Its name in change ids and events, as OWNER/NAME (GitHub) or GROUP/PROJECT (GitLab).",
            HelpName = "OWNER/NAME",
            Required = true,
        };
        var service = new Option<string?>("--service") { Description = "The service its release tags deploy. Default: the repository's name, which the model maps to its service.", HelpName = "SERVICE" };
        var releaseTags = new Option<string>("--release-tags")
        {
            Description = "Which tags are production deployments: a regular expression the whole tag name matches. Default: MAJOR.MINOR or MAJOR.MINOR.PATCH, with or without v.",
            HelpName = "PATTERN",
            DefaultValueFactory = _ => GitImportOptions.DefaultReleaseTags,
        };
        var since = new Option<string?>("--since") { Description = "Only changes merged and tags made at or after this date (YYYY-MM-DD, UTC) or RFC 3339 time.", HelpName = "DATE" };
        var branch = new Option<string>("--branch")
        {
            Description = "The branch whose first-parent line holds the changes. Default: the checked-out branch (HEAD).",
            HelpName = "BRANCH",
            DefaultValueFactory = _ => "HEAD",
        };
        var command = new Command("git", "Store a repository's merged pull requests, direct pushes and release tags (production deployments), as docs/import.md describes.")
        {
            database, path, repository, service, releaseTags, since, branch,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var pattern = GitImportOptions.TryReleaseTags(parsed.GetValue(releaseTags)!, out var patternError);
            if (pattern is null)
            {
                await console.Error.WriteLineAsync($"import git: error: --release-tags is not a regular expression: {patternError}");
                return ExitCodes.Usage;
            }

            DateTimeOffset? from = null;
            if (parsed.GetValue(since) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsedSince))
                {
                    await console.Error.WriteLineAsync($"import git: error: --since '{text}' is not a date (expected for example 2024-01-31)");
                    return ExitCodes.Usage;
                }

                from = parsedSince;
            }

            var options = new GitImportOptions(
                Path.GetFullPath(parsed.GetValue(path)!), parsed.GetValue(repository)!, parsed.GetValue(service), pattern, from, parsed.GetValue(branch)!);
            return await RunAsync(console, EventStoreFactory.Resolve(parsed.GetValue(database)), options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(Console console, string database, GitImportOptions options, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await console.Error.WriteLineAsync($"import git: reading {options.Path} ({options.Branch} and its tags)");
        var (history, error) = await GitHistoryReader.ReadAsync(options, cancellationToken, new ReadProgress(console));
        if (history is null)
        {
            await console.Error.WriteLineAsync($"import git: error: {error}");
            return ExitCodes.InvalidInput;
        }

        var drafts = new List<EventDraft>();
        foreach (var (draft, errors) in GitEvents.Translate(history, options))
        {
            if (draft is null)
            {
                await console.Error.WriteLineAsync($"import git: error: {errors[0]}. Nothing was stored.");
                return ExitCodes.InvalidInput;
            }

            drafts.Add(draft);
        }

        var opened = await DatabaseErrors.TryAsync(console, database, () => EventStoreFactory.OpenAsync(database, cancellationToken));
        if (opened is null)
        {
            return ExitCodes.InvalidInput;
        }

        await using var store = opened;
        var progress = new ProgressLine(console, "import git", drafts.Count);
        long done = 0, accepted = 0, duplicates = 0;
        foreach (var batch in drafts.Chunk(BatchSize))
        {
            var result = await store.AppendAsync(batch, TimeProvider.System.GetUtcNow(), cancellationToken);
            done += batch.Length;
            accepted += result.Accepted;
            duplicates += result.Duplicates;
            await progress.ReportAsync(done);
        }

        await console.Output.WriteAsync(GitImportSummary.Write(history, options));
        await console.Output.WriteLineAsync(
            $"Stored {accepted:N0} new events ({duplicates:N0} duplicates) into {store.Provider} {store.Description} in {clock.Elapsed.TotalSeconds:F1} s.");
        return ExitCodes.Success;
    }
}

/// <summary>Shows on stderr how many commits git has given so far, at most once a second.</summary>
/// <remarks>Called on the reading task, between reads: it writes at once rather than through a synchronisation context.</remarks>
internal sealed class ReadProgress(Console console) : IProgress<long>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private TimeSpan? _lastShown;

    public void Report(long value)
    {
        if (_lastShown is null || _clock.Elapsed - _lastShown >= Interval)
        {
            _lastShown = _clock.Elapsed;
            console.Error.WriteLine($"import git: {value:N0} commits read");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Throughline.Intake.GitHistory;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Intake.GitHistory;

/// <summary>A small repository built with the git command line, every author and committer time set by the test (an hour apart unless given).</summary>
public sealed class GitRepository : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("throughline-git-");
    private int _files;

    private GitRepository()
    {
    }

    public string Path => _folder.FullName;

    /// <summary>The time the next commit, merge or tag gets (author time too, unless one is given); each moves it an hour on.</summary>
    public DateTimeOffset Clock { get; set; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static async Task<GitRepository> InitAsync()
    {
        var repository = new GitRepository();
        await repository.GitAsync("init", "-q", "-b", "main");
        return repository;
    }

    /// <summary>A clone of a bundle under TestData/git.</summary>
    public static async Task<GitRepository> CloneAsync(string bundle)
    {
        var repository = new GitRepository();
        await repository.GitAsync("clone", "-q", Some.TestDataPath("git/" + bundle), repository.Path);
        return repository;
    }

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>Commits a new file with <paramref name="message"/>; returns its SHA.</summary>
    public async Task<string> CommitAsync(string message, DateTimeOffset? authoredAt = null)
    {
        await File.WriteAllTextAsync(System.IO.Path.Combine(Path, $"file-{++_files}.txt"), message, TestContext.Current.CancellationToken);
        await GitAsync("add", ".");
        await GitAtAsync(authoredAt, ["commit", "-q", "-m", message]);
        return await HeadAsync();
    }

    /// <summary>Merges <paramref name="branch"/> into the checked-out branch with a merge commit named <paramref name="message"/>.</summary>
    public async Task<string> MergeAsync(string branch, string message)
    {
        await GitAtAsync(null, ["merge", "-q", "--no-ff", "-m", message, branch]);
        return await HeadAsync();
    }

    public Task TagAsync(string name, bool annotated = false) =>
        annotated ? GitAtAsync(null, ["tag", "-a", "-m", name, name]) : GitAtAsync(null, ["tag", name]);

    public Task CheckoutAsync(string branch, bool create = false) =>
        create ? GitAsync("checkout", "-q", "-b", branch) : GitAsync("checkout", "-q", branch);

    public async Task<string> HeadAsync() => (await GitAsync("rev-parse", "HEAD")).Trim();

    public Task<string> GitAsync(params string[] arguments) => GitAtAsync(null, arguments, tick: false);

    /// <summary>The history as <c>import git</c> reads it, for <c>acme/app</c>.</summary>
    public async Task<RepositoryHistory> ReadAsync(string? releaseTags = null, string branch = "main", string repository = "acme/app")
    {
        var (history, error) = await GitHistoryReader.ReadAsync(Options(releaseTags, branch, repository), TestContext.Current.CancellationToken);
        Assert.True(history is not null, error);
        return history;
    }

    public GitImportOptions Options(string? releaseTags = null, string branch = "main", string repository = "acme/app") =>
        new(Path, repository, null, GitImportOptions.TryReleaseTags(releaseTags ?? GitImportOptions.DefaultReleaseTags, out _)!, null, branch);

    /// <summary>The timeline (no model) of everything in <paramref name="store"/>.</summary>
    public static async Task<TimelineSnapshot> TimelineAsync(IEventStore store)
    {
        var events = await store.ReadAfterAsync(0, 100_000, TestContext.Current.CancellationToken);
        return TimelineBuilder.Build(events.Select(e => FactReader.Read(e)).OfType<Fact>(), null);
    }

    private async Task<string> GitAtAsync(DateTimeOffset? authoredAt, string[] arguments, bool tick = true)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var at = Clock;
        if (tick)
        {
            Clock += TimeSpan.FromHours(1);
        }

        start.Environment["GIT_AUTHOR_DATE"] = (authoredAt ?? at).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        start.Environment["GIT_COMMITTER_DATE"] = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        (start.Environment["GIT_AUTHOR_NAME"], start.Environment["GIT_AUTHOR_EMAIL"]) = ("Ada", "ada@example.com");
        (start.Environment["GIT_COMMITTER_NAME"], start.Environment["GIT_COMMITTER_EMAIL"]) = ("Ada", "ada@example.com");
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = Path;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {await error}");
        return await output;
    }
}

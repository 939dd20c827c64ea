using Throughline.Intake.GitHistory;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Intake.GitHistory;

/// <summary>What a release tag delivers, as <c>import git</c> works it out and as the timeline correlates the stored events.</summary>
public sealed class GitImportDeliveryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Annotated tags, made in this order: main: initial (1.0.0), #1, then 1.1.x forks; #2 on main; a fix on 1.1.x tagged 1.1.1; 1.2.0 on main; a second fix on 1.0.x
    /// (forked at 1.0.0) tagged 1.0.1 last. 1.1.1 holds #1 (not #2), 1.2.0 brings #2, 1.0.1 holds nothing no earlier tag delivered.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportGit_TagsOnMaintenanceBranches_DeliverOnlyWhatTheyHold(string provider)
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        await git.TagAsync("1.0.0", annotated: true);
        await git.GitAsync("branch", "1.0.x");
        await git.CheckoutAsync("one", create: true);
        await git.CommitAsync("one");
        await git.CheckoutAsync("main");
        await git.MergeAsync("one", "Merge pull request #1 from ada/one");
        await git.GitAsync("branch", "1.1.x");
        await git.CommitAsync("Two (#2)");
        await git.CheckoutAsync("1.1.x");
        await git.CommitAsync("fix for 1.1");
        await git.TagAsync("1.1.1", annotated: true);
        await git.CheckoutAsync("main");
        await git.TagAsync("1.2.0", annotated: true);
        await git.CheckoutAsync("1.0.x");
        await git.CommitAsync("fix for 1.0");
        await git.TagAsync("1.0.1", annotated: true);
        await git.CheckoutAsync("main");
        await using var database = await TestDatabase.CreateAsync(provider);

        var history = await git.ReadAsync();
        var run = await CliRun.RunAsync("import", "git", git.Path, "--repository", "acme/app", "--db", database.Database);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["1.0.0", "1.1.1", "1.2.0", "1.0.1"], history.Releases.Select(r => r.Tag));
        Assert.Equal([["acme/app@"], ["acme/app#1"], ["acme/app#2"], []], history.Releases.Select(r => r.Delivered.Select(c => c.Id.Split('@')[0] + (c.Kind == GitChangeKind.DirectPush ? "@" : "")).ToArray()));
        await using var store = await database.OpenStoreAsync();
        var timeline = await GitRepository.TimelineAsync(store);
        Assert.Equal(history.Releases.Select(r => r.Delivered.Select(c => c.Id).ToArray()), timeline.Deployments.Select(d => d.Delivered.ToArray()));
        // Each names the latest change its commit holds: 1.0.1 the initial commit, delivered by 1.0.0 already.
        Assert.Equal(["acme/app", "acme/app#1", "acme/app#2", "acme/app"], timeline.Deployments.Select(d => d.ChangeId?.Split('@')[0]));
        Assert.All(timeline.Deployments, d => Assert.Equal(("acme/app", "production", true), (d.Service, d.Environment, d.Production)));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportGit_Twice_SecondStoresNothing(string provider)
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        await git.CommitAsync("Add the thing (#3)");
        await git.TagAsync("v1.0.0", annotated: true);
        await using var database = await TestDatabase.CreateAsync(provider);

        var first = await CliRun.RunAsync("import", "git", git.Path, "--repository", "acme/app", "--db", database.Database);
        var second = await CliRun.RunAsync("import", "git", git.Path, "--repository", "acme/app", "--db", database.Database);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Stored 4 new events (0 duplicates)", first.Output, StringComparison.Ordinal);
        Assert.Contains("Stored 0 new events (4 duplicates)", second.Output, StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(4, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task ImportGit_NotARepository_Exit1WithGitsMessage()
    {
        var folder = Directory.CreateTempSubdirectory("throughline-not-git-");
        try
        {
            var run = await CliRun.RunAsync("import", "git", folder.FullName, "--repository", "acme/app", "--db", Path.Combine(folder.FullName, "t.db"));

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("import git: error: ", run.Error, StringComparison.Ordinal);
            Assert.Contains("not a git repository", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ImportGit_PatternNotARegularExpression_Exit2()
    {
        var run = await CliRun.RunAsync("import", "git", ".", "--repository", "acme/app", "--release-tags", "v(");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--release-tags is not a regular expression", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportGit_NumberOnTwoCommits_OneChangeAtItsFirstMergeAndSaid()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("Add the thing (#5)");
        var first = git.Clock.AddHours(-1);
        await git.CommitAsync("Revert \"Add the thing\"");
        await git.CommitAsync("Add the thing again (#5)");
        var folder = Directory.CreateTempSubdirectory("throughline-import-");
        try
        {
            var run = await CliRun.RunAsync("import", "git", git.Path, "--repository", "acme/app", "--db", Path.Combine(folder.FullName, "t.db"));

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Contains("1 change ids on more than one commit, one change each (its first merge): acme/app#5", run.Output, StringComparison.Ordinal);
            await using var store = await Throughline.Storage.EventStoreFactory.OpenAsync(Path.Combine(folder.FullName, "t.db"), Cancel);
            var timeline = await GitRepository.TimelineAsync(store);
            Assert.Equal(first, timeline.Changes["acme/app#5"].MergedAt);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

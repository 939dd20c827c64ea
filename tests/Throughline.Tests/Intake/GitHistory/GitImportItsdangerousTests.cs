using Throughline.Intake.GitHistory;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Intake.GitHistory;

/// <summary><c>import git</c> of a real history: pallets/itsdangerous (TestData/git/PROVENANCE.md), branch <c>main</c>.</summary>
public sealed class GitImportItsdangerousTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// Counted with git, in a clone of the bundle:
    /// <c>git log --first-parent --format='%P|%s' main</c> gives 369 commits: 115 subjects "Merge pull request #N from",
    /// 63 ending "(#N)" (49 of them merge commits), 152 other commits with one parent and the root commit (no parent): 153 direct
    /// pushes; the other 38 are merges with two parents (stable merged back). <c>git tag</c>: 32, of which 7 are no release:
    /// the branch tags 1.0.x, 1.1.x, 2.0.x, 2.1.x and the pre-releases 2.0.0a1, 2.0.0rc1, 2.0.0rc2.
    /// </summary>
    [Fact]
    public async Task ImportGit_Itsdangerous_EveryPullRequestDirectPushAndRelease()
    {
        using var git = await GitRepository.CloneAsync("itsdangerous.bundle");

        var history = await git.ReadAsync(repository: "pallets/itsdangerous");

        Assert.Equal(115, history.Changes.Count(c => c.Kind == GitChangeKind.PullRequestMerge));
        Assert.Equal(63, history.Changes.Count(c => c.Kind == GitChangeKind.NumberedSubject));
        Assert.Equal(178, history.Changes.Select(c => c.Id).Where(id => id.Contains('#', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(153, history.Changes.Count(c => c.Kind == GitChangeKind.DirectPush));
        Assert.Equal(38, history.OtherMerges);
        Assert.Equal(25, history.Releases.Count);
        Assert.Equal(["1.0.x", "1.1.x", "2.0.0a1", "2.0.0rc1", "2.0.0rc2", "2.0.x", "2.1.x"], history.SkippedTags.Select(t => t.Tag).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Pull request #186 ("pallets/typing"), checked by hand in a clone of the bundle:
    /// <code>
    /// git log -1 --format='%H %cI' 4559e76                          # 4559e76d… 2020-08-31T11:50:36-07:00: merged
    /// git log --format='%aI %h %s' 4559e76^1..4559e76^2 | sort | head -1
    ///                                                               # 2020-08-27T20:19:55-07:00 aed5b26 add typing with mypy: its first commit
    /// git for-each-ref refs/tags/2.0.0 --format='%(taggerdate:iso-strict)'
    ///                                                               # 2021-05-11T13:04:43-07:00: 2.0.0, the first release tag after it
    /// </code>
    /// Lead time: 2021-05-11T13:04:43-07:00 − 2020-08-27T20:19:55-07:00 = 256 days 16:44:48 = 6,160.75 hours.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportGit_Itsdangerous_TimelineDeliversAsTheTagsAndLeadTimeChecksByHand(string provider)
    {
        using var git = await GitRepository.CloneAsync("itsdangerous.bundle");
        await using var database = await TestDatabase.CreateAsync(provider);

        var run = await CliRun.RunAsync("import", "git", git.Path, "--repository", "pallets/itsdangerous", "--branch", "main", "--db", database.Database);
        var again = await CliRun.RunAsync("import", "git", git.Path, "--repository", "pallets/itsdangerous", "--branch", "main", "--db", database.Database);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("115 pull requests merged with \"Merge pull request #N\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("25 tags taken as production deployments", run.Output, StringComparison.Ordinal);
        Assert.Contains("Stored 0 new events (", again.Output, StringComparison.Ordinal);
        var history = await git.ReadAsync(repository: "pallets/itsdangerous");
        await using var store = await database.OpenStoreAsync();
        var timeline = await GitRepository.TimelineAsync(store);
        Assert.Equal(history.Changes.Count, timeline.Changes.Count);
        // The same changes; within one deployment the timeline lists them in merge order (commits merged in the same second by id).
        Assert.Equal(history.Releases.Select(r => (r.Tag, r.Delivered.Select(c => c.Id).Order(StringComparer.Ordinal).ToArray())),
            timeline.Deployments.Select(d => (d.ArtifactId!.Split('@')[^1], d.Delivered.Order(StringComparer.Ordinal).ToArray())));
        var typing = timeline.Changes["pallets/itsdangerous#186"];
        Assert.Equal(DateTimeOffset.Parse("2020-08-31T11:50:36-07:00", System.Globalization.CultureInfo.InvariantCulture), typing.MergedAt);
        Assert.Equal(DateTimeOffset.Parse("2020-08-27T20:19:55-07:00", System.Globalization.CultureInfo.InvariantCulture), typing.FirstCommitAt);
        Assert.Equal(DateTimeOffset.Parse("2021-05-11T13:04:43-07:00", System.Globalization.CultureInfo.InvariantCulture), typing.FirstProductionDeliveryAt);
        Assert.Equal(new TimeSpan(256, 16, 44, 48).TotalHours, typing.LeadTimeHours!.Value, precision: 6);
        Assert.Equal(await store.CountAsync(Cancel), timeline.Facts);
        Assert.All(await store.ReadAfterAsync(0, 10_000, Cancel), e => Assert.True(e.Event.Mapped, e.Event.Type));
    }
}

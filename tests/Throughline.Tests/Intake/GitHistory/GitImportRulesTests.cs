using Throughline.Intake.GitHistory;

namespace Throughline.Tests.Intake.GitHistory;

/// <summary>Each rule of <c>import git</c> (docs/import.md) on a small repository built with the git command line.</summary>
public sealed class GitImportRulesTests
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Import_MergePullRequestCommit_ChangeFromItsBranchsEarliestCommit()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        await git.CheckoutAsync("feature", create: true);
        await git.CommitAsync("first on the branch", authoredAt: Monday.AddDays(-3));
        await git.CommitAsync("second on the branch");
        await git.CheckoutAsync("main");
        await git.CommitAsync("meanwhile on main", authoredAt: Monday.AddDays(-10));
        var merge = await git.MergeAsync("feature", "Merge pull request #7 from ada/feature\n\nAdd the feature");

        var history = await git.ReadAsync();

        var change = Assert.Single(history.Changes, c => c.Kind == GitChangeKind.PullRequestMerge);
        Assert.Equal(("acme/app#7", merge, Monday.AddDays(-3), 2, "Add the feature"), (change.Id, change.Sha, change.FirstCommitAt, change.Commits, change.Title));
        Assert.Equal(git.Clock.AddHours(-1), change.MergedAt);
        Assert.Equal(2, history.Changes.Count(c => c.Kind == GitChangeKind.DirectPush));
    }

    [Fact]
    public async Task Import_SquashedSubjectEndingInNumber_FirstCommitIsItsOwnAuthorTime()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        var squash = await git.CommitAsync("Add the thing (#8)", authoredAt: Monday.AddDays(-2));

        var history = await git.ReadAsync();

        var change = Assert.Single(history.Changes, c => c.Kind == GitChangeKind.NumberedSubject);
        Assert.Equal(("acme/app#8", squash, Monday.AddDays(-2), 1), (change.Id, change.Sha, change.FirstCommitAt, change.Commits));
    }

    [Fact]
    public async Task Import_MergeCommitNamedAfterItsPullRequest_FirstCommitFromTheBranch()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        await git.CheckoutAsync("fix", create: true);
        await git.CommitAsync("fix it", authoredAt: Monday.AddDays(-4));
        await git.CheckoutAsync("main");
        await git.MergeAsync("fix", "Fix the bug (#9)");

        var history = await git.ReadAsync();

        var change = Assert.Single(history.Changes, c => c.Kind == GitChangeKind.NumberedSubject);
        Assert.Equal(("acme/app#9", Monday.AddDays(-4), 1), (change.Id, change.FirstCommitAt, change.Commits));
    }

    [Fact]
    public async Task Import_GitLabMergeRequest_NamedAsTheGitLabWebhookNamesIt()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        await git.CheckoutAsync("topic", create: true);
        await git.CommitAsync("work", authoredAt: Monday.AddDays(-1));
        await git.CheckoutAsync("main");
        await git.MergeAsync("topic", "Merge branch 'topic' into 'main'\n\nImprove the topic\n\nSee merge request acme/app!12");

        var history = await git.ReadAsync();

        var change = Assert.Single(history.Changes, c => c.Kind == GitChangeKind.MergeRequest);
        Assert.Equal(("acme/app!12", Monday.AddDays(-1), "Improve the topic"), (change.Id, change.FirstCommitAt, change.Title));
    }

    [Fact]
    public async Task Import_MaintenanceBranchMergedBack_NoChangeOfItsOwnNorOfWhatItHolds()
    {
        using var git = await GitRepository.InitAsync();
        var initial = await git.CommitAsync("initial");
        await git.CheckoutAsync("1.0.x", create: true);
        await git.CommitAsync("fix on the maintenance branch");
        await git.CheckoutAsync("main");
        await git.CommitAsync("direct on main");
        await git.MergeAsync("1.0.x", "Merge branch '1.0.x'");

        var history = await git.ReadAsync();

        Assert.Equal(1, history.OtherMerges);
        Assert.Equal(["initial", "direct on main"], history.Changes.Select(c => c.Title));
        Assert.All(history.Changes, c => Assert.Equal(GitChangeKind.DirectPush, c.Kind));
        Assert.Equal("acme/app@" + initial, history.Changes[0].Id);
    }

    [Fact]
    public async Task Import_TagPatterns_ReleasesOnlyAndEachSkippedWithItsReason()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        foreach (var tag in new[] { "1.0", "v1.2.3", "2.0.0rc1", "2.1.x", "1.2.3.4", "v2.0.0-beta", "release-7" })
        {
            await git.TagAsync(tag);
        }

        var byDefault = await git.ReadAsync();
        var custom = await git.ReadAsync(releaseTags: @"release-\d+");

        Assert.Equal(["1.0", "v1.2.3"], byDefault.Releases.Select(r => r.Tag).Order(StringComparer.Ordinal));
        Assert.Equal(["1.2.3.4", "2.0.0rc1", "2.1.x", "release-7", "v2.0.0-beta"], byDefault.SkippedTags.Select(t => t.Tag).Order(StringComparer.Ordinal));
        Assert.All(byDefault.SkippedTags, t => Assert.StartsWith("not a release", t.Reason, StringComparison.Ordinal));
        Assert.Equal(["release-7"], custom.Releases.Select(r => r.Tag));
    }

    [Fact]
    public async Task Import_AnnotatedTag_DeployedAtTheTaggersTime()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        var committed = git.Clock.AddHours(-1);
        await git.TagAsync("1.0.0");
        await git.TagAsync("1.1.0", annotated: true);

        var history = await git.ReadAsync();

        Assert.Equal(committed, history.Releases.Single(r => r.Tag == "1.0.0").At);
        Assert.Equal(committed.AddHours(2), history.Releases.Single(r => r.Tag == "1.1.0").At);
    }

    [Fact]
    public async Task Import_Since_LeavesOutEarlierChangesAndTags()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");
        await git.TagAsync("1.0.0", annotated: true);
        var since = git.Clock;
        await git.CommitAsync("Later (#4)");
        await git.TagAsync("1.1.0", annotated: true);

        var (history, _) = await GitHistoryReader.ReadAsync(git.Options() with { Since = since }, TestContext.Current.CancellationToken);

        Assert.NotNull(history);
        Assert.Equal(["acme/app#4"], history.Changes.Select(c => c.Id));
        Assert.Equal(1, history.EarlierChanges);
        Assert.Equal(["1.1.0"], history.Releases.Select(r => r.Tag));
        Assert.StartsWith("made ", Assert.Single(history.SkippedTags).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnknownBranch_GitsMessage()
    {
        using var git = await GitRepository.InitAsync();
        await git.CommitAsync("initial");

        var (history, error) = await GitHistoryReader.ReadAsync(git.Options(branch: "nope"), TestContext.Current.CancellationToken);

        Assert.Null(history);
        Assert.Contains("nope", error, StringComparison.Ordinal);
    }
}

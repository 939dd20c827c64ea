using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class GitHubAdapterTests() : AdapterTests("github", GitHubAdapter.Translate)
{
    private const string Repository = "Codertocat/Hello-World";

    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "check_run/completed.payload.json", ["testcaserun.finished Codertocat/Hello-World/check-runs/128620228"] },
        { "check_run/created.payload.json", ["testcaserun.queued Codertocat/Hello-World/check-runs/128620228"] },
        { "check_suite/completed.payload.json", ["pipelinerun.finished Codertocat/Hello-World/check-suites/118578147"] },
        { "check_suite/completed.with-organization.payload.json", ["pipelinerun.finished Codertocat/Hello-World/check-suites/118578147"] },
        { "check_suite/requested.payload.json", ["pipelinerun.queued Codertocat/Hello-World/check-suites/118578174"] },
        { "create/payload.json", ["git-tag.created simple-tag"] },
        { "deployment/gh-pages.payload.json", [] },
        { "deployment/payload.json", [] },
        { "deployment_status/payload.json", ["service.deployed hello-world"] },
        { "deployment_status/with-installation.payload.json", ["service.deployed hello-world"] },
        { "pull_request/HookPullRequestMerged.json", ["change.merged anbraten/test-ready-release-go#62"] },
        { "pull_request/closed.payload.json", ["change.abandoned Codertocat/Hello-World#2"] },
        { "pull_request/opened.payload.json", ["change.created Codertocat/Hello-World#2"] },
        { "pull_request/reopened.payload.json", ["change.updated Codertocat/Hello-World#2"] },
        { "pull_request/review_requested.payload.json", [] },
        { "pull_request/synchronize.payload.json", ["change.updated Codertocat/Hello-World#2"] },
        { "pull_request_review/submitted.payload.json", ["change.reviewed Codertocat/Hello-World#2"] },
        { "push/payload.json", ["git-tag.deleted simple-tag"] },
        { "push/with-new-branch.payload.json", ["branch.created master", "git-push.received 6113728f27ae82c7b1a177c8d03f9e96e0adf246"] },
        { "release/created.payload.json", ["git-release.published 0.0.1"] },
        { "release/edited.payload.json", [] },
        { "release/prereleased.payload.json", ["git-release.published 0.0.1"] },
        { "release/published.payload.json", ["git-release.published 0.0.1"] },
        { "status/payload.json", [] },
        { "workflow_job/completed.success.with-organization.payload.json", ["build.finished Codertocat/Hello-World/actions/jobs/289782451"] },
        { "workflow_job/in_progress.payload.json", ["build.started Codertocat/Hello-World/actions/jobs/289782451"] },
        { "workflow_job/queued.payload.json", ["build.queued Codertocat/Hello-World/actions/jobs/289782451"] },
        { "workflow_job/waiting.payload.json", ["build.queued lineville/elastic-machines-testing/actions/jobs/12877621891"] },
        { "workflow_run/completed.with-pull-requests.payload.json", ["pipelinerun.finished octo-org/octo-repo/actions/runs/289782451"] },
        { "workflow_run/requested.payload.json", ["pipelinerun.queued octo-org/octo-repo/actions/runs/289782451"] },
    };

    internal override (string Name, string Value)[] Headers(string fixture) => [("X-GitHub-Event", fixture.Split('/')[0])];

    [Fact]
    public void Translate_MergedPullRequest_MergeCommitHeadAndTimes()
    {
        var merged = Assert.Single(Adapt("pull_request/HookPullRequestMerged.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2023-12-05T18:34:19Z"), merged.Timestamp);
        Assert.Equal("anbraten/test-ready-release-go", merged.Content.At("repository", "id"));
        Assert.Equal(("anbraten/test-ready-release-go#62", "anbraten/test-ready-release-go"), (merged.Data.At("changeId"), merged.Data.At("repository")));
        Assert.Equal("473d70eb7c50a54ae62bf9b124efa1c3eb245be8", merged.Data.At("mergeCommitSha"));
        Assert.Equal("c88b9ee719285134957cbc698c9b7ef9b78007bf", merged.Data.At("headSha"));
        Assert.Equal(("Change file", "anbraten"), (merged.Data.At("title"), merged.Data.At("author")));
    }

    [Fact]
    public void Translate_OpenedPullRequest_DescriptionIsTheTitle()
    {
        var opened = Assert.Single(Adapt("pull_request/opened.payload.json").Events);

        Assert.Equal("Update the README with new information.", opened.Content.At("description"));
        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:20:33Z"), opened.Timestamp);
        Assert.Null(opened.Data.At("mergeCommitSha"));
    }

    [Fact]
    public void Translate_PushWithNewBranch_CommitsWithTheirTimes()
    {
        var push = Adapt("push/with-new-branch.payload.json").Events[1];

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1557933657), push.Timestamp);
        Assert.Equal((Repository, "refs/heads/master", "false"), (push.Data.At("repository"), push.Data.At("ref"), push.Data.At("forced")));
        var commit = Assert.Single(push.Data["commits"]!.AsArray());
        Assert.Equal(("6113728f27ae82c7b1a177c8d03f9e96e0adf246", "2019-05-15T15:19:25.0000000Z"), (commit.At("id"), commit.At("timestamp")));
    }

    [Fact]
    public void Translate_DeploymentStatus_ServiceFromTheModelAndSourceArtifact()
    {
        var deployed = Assert.Single(Adapt("deployment_status/payload.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:20:55Z"), deployed.Timestamp);
        Assert.Equal("production", deployed.Content.At("environment", "id"));
        Assert.Equal("pkg:github/Codertocat/Hello-World@f95f852bd8fca8fcc58a9a2d6c842781e32a215e", deployed.Content.At("artifactId"));
        Assert.Equal((Repository, "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"), (deployed.Data.At("repository"), deployed.Data.At("commitSha")));
    }

    [Fact]
    public void Translate_RunsAndChecks_OutcomeShaAndPullRequests()
    {
        var run = Assert.Single(Adapt("workflow_run/completed.with-pull-requests.payload.json").Events);
        var job = Assert.Single(Adapt("workflow_job/completed.success.with-organization.payload.json").Events);
        var check = Assert.Single(Adapt("check_run/completed.payload.json").Events);

        Assert.Equal(("success", "3484a3fb816e0859fd6e1cea078d76385ff50625", "master"), (run.Content.At("outcome"), run.Data.At("commitSha"), run.Data.At("branch")));
        Assert.Equal("octo-org/octo-repo#2", run.Data["changes"]![0]!.ToString());
        Assert.Equal((DateTimeOffset.Parse("2021-08-05T10:38:16Z"), "success"), (job.Timestamp, job.Data.At("outcome")));
        Assert.Equal(("Octocoders-linter", "success"), (check.Content.At("testCase", "id"), check.Content.At("outcome")));
    }

    [Fact]
    public void Translate_CreateWithoutTimes_ReceiptTime()
    {
        var created = Assert.Single(Adapt("create/payload.json").Events);

        Assert.Equal(Adapted.ReceivedAt, created.Timestamp);
        Assert.Equal("tag", created.Data.At("refType"));
    }

    [Fact]
    public void Translate_Deployment_UnmappedWithReason()
    {
        var context = Adapt("deployment/payload.json");

        Assert.Empty(context.Events);
        Assert.Equal("deployment.created", context.Event);
        Assert.Contains("deployment_status", context.UnmappedReason, StringComparison.Ordinal);
    }
}

using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class GitLabAdapterTests() : AdapterTests("gitlab", GitLabAdapter.Translate)
{
    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "go-gitlab/deployment.json", ["service.deployed root/test-deployment-webhooks"] },
        { "go-gitlab/group_merge_request.json", ["change.merged exm-namespace/example-project!1402"] },
        { "go-gitlab/job.json", ["build.finished jsmithy2/release-tools-fake/jobs/3580121225"] },
        { "go-gitlab/merge_request.json", ["change.created gitlabhq/gitlab-test!1"] },
        { "go-gitlab/pipeline.json", ["pipelinerun.finished gitlab-org/gitlab-test/pipelines/31"] },
        { "go-gitlab/push.json", ["git-push.received da1560886d4f094c3e6c9ef40349f7d38b5d27d7"] },
        { "go-gitlab/release.json", ["git-release.published 1.0.0"] },
        { "go-gitlab/tag_push.json", ["git-tag.created v1.0.0"] },
        { "woodpecker/HookPullRequestApproved.json", ["change.reviewed anbraten/woodpecker!3"] },
        { "woodpecker/HookPullRequestEdited.json", ["change.updated demoaccount2-commits-group/test_ci_tmp!3"] },
        { "woodpecker/HookPullRequestMerged.json", ["change.merged anbraten/woodpecker-test!4"] },
        { "woodpecker/HookPullRequestOpened.json", ["change.created demoaccount2-commits-group/test_ci_tmp!3"] },
        { "woodpecker/HookPullRequestReviewRequested.json", ["change.updated demoaccount2-commits-group/test_ci_tmp!3"] },
        { "woodpecker/HookPullRequestUpdated.json", ["change.updated anbraten/woodpecker!3"] },
        { "woodpecker/HookPush.json", ["git-push.received 16862e368d8ab812e48833b741dad720d6e2cb7f"] },
        { "zulip/deployment_hook__succeeded.json", ["service.deployed deploy-test"] },
    };

    [Fact]
    public void Translate_MergedMergeRequest_MergeCommitAndHead()
    {
        var merged = Assert.Single(Adapt("woodpecker/HookPullRequestMerged.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2023-12-05T18:43:00Z"), merged.Timestamp);
        Assert.Equal("anbraten/woodpecker-test", merged.Content.At("repository", "id"));
        Assert.Equal("43411b53d670203e887c4985c4e58e8e6b7c109e", merged.Data.At("mergeCommitSha"));
        Assert.Equal(("3e4db3586b65dd401de8c77b3ac343fd24cbf89b", "merged"), (merged.Data.At("headSha"), merged.Data.At("state")));
    }

    [Fact]
    public void Translate_ApprovedMergeRequest_ReviewedAsApproved()
    {
        var approved = Assert.Single(Adapt("woodpecker/HookPullRequestApproved.json").Events);

        Assert.Equal(("anbraten/woodpecker!3", "approved"), (approved.Data.At("changeId"), approved.Data.At("state")));
    }

    [Fact]
    public void Translate_Push_EachCommitInUtcAndTheLatestAsTime()
    {
        var push = Assert.Single(Adapt("go-gitlab/push.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2012-01-03T21:36:29Z"), push.Timestamp);
        Assert.Equal(("mike/diaspora", "master"), (push.Data.At("repository"), push.Data.At("branch")));
        var commits = push.Data["commits"]!.AsArray();
        Assert.Equal(["2011-12-12T12:27:31.0000000Z", "2012-01-03T21:36:29.0000000Z"], commits.Select(c => c.At("timestamp")));
    }

    [Fact]
    public void Translate_Deployments_FullShaFromCommitUrlAndServiceFromTheModel()
    {
        var unknownRepository = Assert.Single(Adapt("go-gitlab/deployment.json").Events);
        var modelled = Assert.Single(Adapt("zulip/deployment_hook__succeeded.json").Events);

        Assert.Equal(("staging", "279484c09fbe69ededfced8c1bb6e6d24616b468"), (unknownRepository.Content.At("environment", "id"), unknownRepository.Data.At("commitSha")));
        Assert.Equal("pkg:gitlab/root/test-deployment-webhooks@279484c09fbe69ededfced8c1bb6e6d24616b468", unknownRepository.Content.At("artifactId"));
        Assert.Equal(("production", "vedant8600317/test"), (modelled.Content.At("environment", "id"), modelled.Data.At("repository")));
    }

    [Fact]
    public void Translate_PipelineAndJob_OutcomeAndMergeRequest()
    {
        var pipeline = Assert.Single(Adapt("go-gitlab/pipeline.json").Events);
        var job = Assert.Single(Adapt("go-gitlab/job.json").Events);

        Assert.Equal(("success", "bcbb5ec396a2c0f828686f14fac9b80b780504f2"), (pipeline.Content.At("outcome"), pipeline.Data.At("commitSha")));
        Assert.Equal("gitlab-org/gitlab-test!1", pipeline.Data["changes"]![0]!.ToString());
        Assert.Equal((DateTimeOffset.Parse("2023-01-10T13:50:54Z"), "success", "production"), (job.Timestamp, job.Data.At("outcome"), job.Data.At("environment")));
    }
}

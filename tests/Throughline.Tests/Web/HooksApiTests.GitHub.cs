using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class HooksApiTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GitHub_EveryFixture_AcceptedAndListed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);

        // The same deployment status (209916254) twice, the second from an app installation: one deployment.
        await PostEveryFixtureAsync(server, "github", (fixture, _) => Hooks.PostGitHubAsync(server, fixture), "deployment_status/with-installation.payload.json");

        var (_, items) = await Hooks.EventsAsync(server);
        Assert.Contains(items, i => i.Text("type") == "dev.cdevents.change.merged.0.3.0");
        Assert.All(items, i => Assert.Equal("hook:github", i.Text("origin")));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GitHub_PushToPullRequestBranch_ChangeStartsAtItsCommit(string provider)
    {
        // octokit's push, sent to the pull request's branch (its ref is master in the fixture).
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);
        var push = System.Text.Json.Nodes.JsonNode.Parse(Hooks.Fixture("github/push/with-new-branch.payload.json"))!;
        push["ref"] = "refs/heads/changes";

        await Hooks.PostAsync(server, "github", System.Text.Encoding.UTF8.GetBytes(push.ToJsonString()), ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "push-changes"));
        await Hooks.PostGitHubAsync(server, "pull_request/opened.payload.json", "opened-2");

        var change = await Timeline.ChangesApiTests.ChangeAsync(server, "Codertocat/Hello-World#2");
        Assert.Equal(("push", DateTimeOffset.Parse("2019-05-15T15:19:25Z")), (change.Text("startBasis"), change.GetProperty("firstCommitAt").GetDateTimeOffset()));
        Assert.Contains(change.GetProperty("events").EnumerateArray(), e => e.Text("type") == "git-push.received");
    }

    [Fact]
    public async Task GitHub_MergedPullRequest_ChangeMergedWithMergeCommit()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await Hooks.PostGitHubAsync(server, "pull_request/HookPullRequestMerged.json", "merged-1");

        var merged = await Hooks.SingleEventAsync(server, "github", "merged-1");
        Assert.Equal("dev.cdevents.change.merged.0.3.0", merged.Text("type"));
        Assert.Equal("merged-1/1", merged.Text("id"));
        Assert.Equal("/hooks/github", merged.Text("source"));
        Assert.True(merged.GetProperty("mapped").GetBoolean());
        Assert.Equal("anbraten/test-ready-release-go#62", merged.Text("subjectId"));
        Assert.Equal(DateTimeOffset.Parse("2023-12-05T18:34:19Z"), merged.GetProperty("timestamp").GetDateTimeOffset());
        var payload = merged.GetProperty("payload");
        Assert.Equal("anbraten/test-ready-release-go", payload.Text("subject", "content", "repository", "id"));
        Assert.Equal("anbraten/test-ready-release-go#62", payload.Text("customData", "changeId"));
        Assert.Equal("473d70eb7c50a54ae62bf9b124efa1c3eb245be8", payload.Text("customData", "mergeCommitSha"));
        Assert.Equal("c88b9ee719285134957cbc698c9b7ef9b78007bf", payload.Text("customData", "headSha"));
        Assert.Equal("2023-12-05T18:13:16.0000000Z", payload.Text("customData", "createdAt"));
    }

    [Fact]
    public async Task GitHub_PullRequestLifecycle_CreatedUpdatedAbandonedReviewed()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await Hooks.PostGitHubAsync(server, "pull_request/opened.payload.json", "opened");
        await Hooks.PostGitHubAsync(server, "pull_request/synchronize.payload.json", "sync");
        await Hooks.PostGitHubAsync(server, "pull_request/closed.payload.json", "closed");
        await Hooks.PostGitHubAsync(server, "pull_request_review/submitted.payload.json", "review");
        await Hooks.PostGitHubAsync(server, "pull_request/review_requested.payload.json", "requested");

        var opened = await Hooks.SingleEventAsync(server, "github", "opened");
        Assert.Equal(("dev.cdevents.change.created.0.4.0", "Codertocat/Hello-World#2"), (opened.Text("type"), opened.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:20:33Z"), opened.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("ec26c3e57ca3a959ca5aad62de7213c562f8c821", opened.GetProperty("payload").Text("customData", "headSha"));
        Assert.Equal("dev.cdevents.change.updated.0.3.0", (await Hooks.SingleEventAsync(server, "github", "sync")).Text("type"));
        var closed = await Hooks.SingleEventAsync(server, "github", "closed");
        Assert.Equal("dev.cdevents.change.abandoned.0.3.0", closed.Text("type"));
        Assert.Null(closed.GetProperty("payload").Text("customData", "mergeCommitSha"));
        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:21:18Z"), closed.GetProperty("timestamp").GetDateTimeOffset());
        var review = await Hooks.SingleEventAsync(server, "github", "review");
        Assert.Equal(("dev.cdevents.change.reviewed.0.3.0", "Codertocat/Hello-World#2"), (review.Text("type"), review.Text("subjectId")));
        Assert.Equal(("commented", "ec26c3e57ca3a959ca5aad62de7213c562f8c821"),
            (review.GetProperty("payload").Text("customData", "state"), review.GetProperty("payload").Text("customData", "commitSha")));
        Assert.False((await Hooks.SingleEventAsync(server, "github", "requested")).GetProperty("mapped").GetBoolean());
    }

    [Fact]
    public async Task GitHub_Push_CommitsWithTimesBranchCreationAndTagDeletion()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await Hooks.PostGitHubAsync(server, "push/with-new-branch.payload.json", "new-branch");
        await Hooks.PostGitHubAsync(server, "push/payload.json", "tag-deleted");

        var events = await Hooks.EventsOfAsync(server, "github", "new-branch");
        Assert.Equal(["dev.cdevents.branch.created.0.3.0", "dev.cdeventsx.git-push.received.0.1.0"], events.Select(e => e.Text("type")));
        Assert.Equal("master", events[0].Text("subjectId"));
        var push = events[1];
        Assert.True(push.GetProperty("mapped").GetBoolean());
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", push.Text("subjectId"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1557933657), push.GetProperty("timestamp").GetDateTimeOffset());
        var data = push.GetProperty("payload").GetProperty("customData");
        Assert.Equal(("Codertocat/Hello-World", "refs/heads/master", "false"), (data.Text("repository"), data.Text("ref"), data.Text("forced")));
        var commit = Assert.Single(data.GetProperty("commits").EnumerateArray());
        Assert.Equal(("6113728f27ae82c7b1a177c8d03f9e96e0adf246", "2019-05-15T15:19:25.0000000Z"), (commit.Text("id"), commit.Text("timestamp")));
        var tag = await Hooks.SingleEventAsync(server, "github", "tag-deleted");
        Assert.Equal(("dev.cdeventsx.git-tag.deleted.0.1.0", "simple-tag"), (tag.Text("type"), tag.Text("subjectId")));
    }

    [Fact]
    public async Task GitHub_Runs_PipelineBuildAndTestRunsWithOutcome()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await Hooks.PostGitHubAsync(server, "workflow_run/requested.payload.json", "run-requested");
        await Hooks.PostGitHubAsync(server, "workflow_run/completed.with-pull-requests.payload.json", "run-completed");
        await Hooks.PostGitHubAsync(server, "workflow_job/in_progress.payload.json", "job-started");
        await Hooks.PostGitHubAsync(server, "workflow_job/completed.success.with-organization.payload.json", "job-completed");
        await Hooks.PostGitHubAsync(server, "check_suite/completed.payload.json", "suite");
        await Hooks.PostGitHubAsync(server, "check_run/completed.payload.json", "check");

        var queued = await Hooks.SingleEventAsync(server, "github", "run-requested");
        Assert.Equal(("dev.cdevents.pipelinerun.queued.0.3.0", "octo-org/octo-repo/actions/runs/289782451"), (queued.Text("type"), queued.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2020-10-05T16:33:24Z"), queued.GetProperty("timestamp").GetDateTimeOffset());
        var finished = await Hooks.SingleEventAsync(server, "github", "run-completed");
        Assert.Equal("dev.cdevents.pipelinerun.finished.0.3.0", finished.Text("type"));
        Assert.Equal("success", finished.GetProperty("payload").Text("subject", "content", "outcome"));
        var data = finished.GetProperty("payload").GetProperty("customData");
        Assert.Equal(("3484a3fb816e0859fd6e1cea078d76385ff50625", "master"), (data.Text("commitSha"), data.Text("branch")));
        Assert.Equal("octo-org/octo-repo#2", data.GetProperty("changes")[0].GetString());
        Assert.Equal("dev.cdevents.build.started.0.3.0", (await Hooks.SingleEventAsync(server, "github", "job-started")).Text("type"));
        var job = await Hooks.SingleEventAsync(server, "github", "job-completed");
        Assert.Equal(("dev.cdevents.build.finished.0.3.0", "success"), (job.Text("type"), job.GetProperty("payload").Text("customData", "outcome")));
        Assert.Equal(DateTimeOffset.Parse("2021-08-05T10:38:16Z"), job.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("dev.cdevents.pipelinerun.finished.0.3.0", (await Hooks.SingleEventAsync(server, "github", "suite")).Text("type"));
        var check = await Hooks.SingleEventAsync(server, "github", "check");
        Assert.Equal(("dev.cdevents.testcaserun.finished.0.3.0", "success"), (check.Text("type"), check.GetProperty("payload").Text("subject", "content", "outcome")));
    }

    [Fact]
    public async Task GitHub_DeploymentStatusSuccess_ServiceDeployedNamedByModel()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await Hooks.PostGitHubAsync(server, "deployment_status/payload.json", "status");
        await Hooks.PostGitHubAsync(server, "deployment/payload.json", "deployment");
        await Hooks.PostGitHubAsync(server, "release/published.payload.json", "release");

        // Named after the deployment status, not the delivery, so the same status from `import github-export` is stored once.
        var deployed = await Hooks.SingleEventAsync(server, "github", "deployment-status/Codertocat/Hello-World/209916254");
        Assert.Equal(("dev.cdevents.service.deployed.0.3.0", "hello-world"), (deployed.Text("type"), deployed.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:20:55Z"), deployed.GetProperty("timestamp").GetDateTimeOffset());
        var payload = deployed.GetProperty("payload");
        Assert.Equal("production", payload.Text("subject", "content", "environment", "id"));
        Assert.Equal("pkg:github/Codertocat/Hello-World@f95f852bd8fca8fcc58a9a2d6c842781e32a215e", payload.Text("subject", "content", "artifactId"));
        Assert.Equal("f95f852bd8fca8fcc58a9a2d6c842781e32a215e", payload.Text("customData", "commitSha"));
        Assert.False((await Hooks.SingleEventAsync(server, "github", "deployment")).GetProperty("mapped").GetBoolean());
        var release = await Hooks.SingleEventAsync(server, "github", "release");
        Assert.Equal(("dev.cdeventsx.git-release.published.0.1.0", "0.0.1"), (release.Text("type"), release.Text("subjectId")));
    }
}

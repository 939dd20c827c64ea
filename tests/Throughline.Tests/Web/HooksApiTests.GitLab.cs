using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class HooksApiTests
{
    private static Task<System.Text.Json.JsonElement> PostGitLabAsync(RunningServer server, string fixture, string uuid) =>
        Hooks.PostAsync(server, "gitlab", Hooks.Fixture("gitlab/" + fixture), ("X-Gitlab-Event-UUID", uuid));

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GitLab_EveryFixture_AcceptedAndListed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await StartAsync(database);

        await PostEveryFixtureAsync(server, "gitlab", (fixture, body) => Hooks.PostAsync(server, "gitlab", body, ("X-Gitlab-Event-UUID", "gl-" + fixture)));

        var (_, items) = await Hooks.EventsAsync(server);
        Assert.Contains(items, i => i.Text("type") == "dev.cdevents.change.merged.0.3.0");
        Assert.Contains(items, i => i.Text("type") == "dev.cdevents.service.deployed.0.3.0");
    }

    [Fact]
    public async Task GitLab_MergeRequests_ChangeEventsWithIidAndMergeCommit()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await PostGitLabAsync(server, "woodpecker/HookPullRequestMerged.json", "merged");
        await PostGitLabAsync(server, "go-gitlab/merge_request.json", "opened");
        await PostGitLabAsync(server, "woodpecker/HookPullRequestApproved.json", "approved");
        await PostGitLabAsync(server, "go-gitlab/group_merge_request.json", "padded");
        await Hooks.PostAsync(server, "gitlab", Hooks.Fixture("gitlab/woodpecker/HookPullRequestMerged.json"), ("Idempotency-Key", "merged"));

        var merged = await Hooks.SingleEventAsync(server, "gitlab", "merged");
        Assert.Equal(("dev.cdevents.change.merged.0.3.0", "anbraten/woodpecker-test!4"), (merged.Text("type"), merged.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2023-12-05T18:43:00Z"), merged.GetProperty("timestamp").GetDateTimeOffset());
        var data = merged.GetProperty("payload").GetProperty("customData");
        Assert.Equal(("43411b53d670203e887c4985c4e58e8e6b7c109e", "3e4db3586b65dd401de8c77b3ac343fd24cbf89b"), (data.Text("mergeCommitSha"), data.Text("headSha")));
        Assert.Equal("anbraten/woodpecker-test", data.Text("repository"));
        var opened = await Hooks.SingleEventAsync(server, "gitlab", "opened");
        Assert.Equal(("dev.cdevents.change.created.0.4.0", "gitlabhq/gitlab-test!1"), (opened.Text("type"), opened.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2013-12-03T17:23:34Z"), opened.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("dev.cdevents.change.reviewed.0.3.0", (await Hooks.SingleEventAsync(server, "gitlab", "approved")).Text("type"));
        var padded = await Hooks.SingleEventAsync(server, "gitlab", "padded");
        Assert.Equal(("dev.cdevents.change.merged.0.3.0", "exm-namespace/example-project!1402"), (padded.Text("type"), padded.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2016-12-01T13:21:20Z"), padded.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(4, (await Hooks.EventsAsync(server)).Total);
    }

    [Fact]
    public async Task GitLab_DeploymentWithShortSha_FullShaFromCommitUrl()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await PostGitLabAsync(server, "zulip/deployment_hook__succeeded.json", "prod");
        await PostGitLabAsync(server, "go-gitlab/deployment.json", "staging");

        var prod = await Hooks.SingleEventAsync(server, "gitlab", "prod");
        Assert.Equal(("dev.cdevents.service.deployed.0.3.0", "deploy-test"), (prod.Text("type"), prod.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2025-05-02T11:55:16Z"), prod.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("production", prod.GetProperty("payload").Text("subject", "content", "environment", "id"));
        Assert.Equal("58793660b22d6ceacbdc23b28a0562bca339702c", prod.GetProperty("payload").Text("customData", "commitSha"));
        var staging = await Hooks.SingleEventAsync(server, "gitlab", "staging");
        Assert.Equal("root/test-deployment-webhooks", staging.Text("subjectId"));
        Assert.Equal(DateTimeOffset.Parse("2021-04-28T19:50:00Z"), staging.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("279484c09fbe69ededfced8c1bb6e6d24616b468", staging.GetProperty("payload").Text("customData", "commitSha"));
        Assert.Equal("staging", staging.GetProperty("payload").Text("customData", "environment"));
    }

    [Fact]
    public async Task GitLab_PipelineJobAndPush_StatesOutcomesAndCommitTimes()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(database);

        await PostGitLabAsync(server, "go-gitlab/pipeline.json", "pipeline");
        await PostGitLabAsync(server, "go-gitlab/job.json", "job");
        await PostGitLabAsync(server, "go-gitlab/push.json", "push");
        await PostGitLabAsync(server, "go-gitlab/tag_push.json", "tag");

        var pipeline = await Hooks.SingleEventAsync(server, "gitlab", "pipeline");
        Assert.Equal(("dev.cdevents.pipelinerun.finished.0.3.0", "gitlab-org/gitlab-test/pipelines/31"), (pipeline.Text("type"), pipeline.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2016-08-12T15:26:29Z"), pipeline.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("success", pipeline.GetProperty("payload").Text("subject", "content", "outcome"));
        Assert.Equal("bcbb5ec396a2c0f828686f14fac9b80b780504f2", pipeline.GetProperty("payload").Text("customData", "commitSha"));
        var job = await Hooks.SingleEventAsync(server, "gitlab", "job");
        Assert.Equal(("dev.cdevents.build.finished.0.3.0", "jsmithy2/release-tools-fake/jobs/3580121225"), (job.Text("type"), job.Text("subjectId")));
        Assert.Equal(DateTimeOffset.Parse("2023-01-10T13:50:54Z"), job.GetProperty("timestamp").GetDateTimeOffset());
        var push = (await Hooks.EventsOfAsync(server, "gitlab", "push")).Single();
        var commits = push.GetProperty("payload").GetProperty("customData").GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(["2011-12-12T12:27:31.0000000Z", "2012-01-03T21:36:29.0000000Z"], commits.Select(c => c.Text("timestamp")));
        Assert.Equal(DateTimeOffset.Parse("2012-01-03T21:36:29Z"), push.GetProperty("timestamp").GetDateTimeOffset());
        var tag = await Hooks.SingleEventAsync(server, "gitlab", "tag");
        Assert.Equal(("dev.cdeventsx.git-tag.created.0.1.0", "v1.0.0"), (tag.Text("type"), tag.Text("subjectId")));
    }
}

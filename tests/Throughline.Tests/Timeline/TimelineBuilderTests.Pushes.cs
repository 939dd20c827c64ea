using System.Text.Json.Nodes;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>Pushes joined to the change whose head branch they push, on the real GitHub and GitLab fixtures.</summary>
/// <remarks>No fixture pushes to a pull request's branch, so the tests point a real push at one (its <c>ref</c>, its project),
/// and say so where they do.</remarks>
public sealed partial class TimelineBuilderTests
{
    private const string HelloWorld = "Codertocat/Hello-World#2";
    private const string MergeSha = "c4295bd74fb0f4fda03689c3df3f2803b658fd85";
    private static readonly DateTimeOffset HookReceivedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly OperatingModel HookModel = Support.Hooks.Model();

    [Fact]
    public void Push_ToPullRequestBranch_LeadTimeStartsAtItsEarliestCommit()
    {
        var snapshot = BuildHooks(GitHubStory(pushRef: "refs/heads/changes"));

        var change = snapshot.Changes[HelloWorld];
        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:19:25Z"), change.FirstCommitAt);
        Assert.Equal(StartBasis.Push, change.StartBasis);
        Assert.Equal(2.0, change.LeadTimeHours);
        Assert.Contains(2L, change.EventSequences); // the push (the branch's creation is 1)
    }

    [Fact]
    public void Push_ToAnotherBranch_DoesNotJoin()
    {
        var snapshot = BuildHooks(GitHubStory(pushRef: "refs/heads/master"));

        var change = Assert.Single(snapshot.Changes.Values);
        Assert.Null(change.FirstCommitAt);
        Assert.Equal(StartBasis.Created, change.StartBasis);
        Assert.Equal((DateTimeOffset.Parse("2019-05-15T17:19:25Z") - DateTimeOffset.Parse("2019-05-15T15:20:33Z")).TotalHours, change.LeadTimeHours);
    }

    [Fact]
    public void Push_AfterMerge_JoinsTheNextChangeOnTheBranchNotTheMergedOne()
    {
        // The pull request merged at 15:21:18; the same push, stamped a day later, goes to the branch reused by pull request #3.
        var later = GitHubStory(pushRef: "refs/heads/changes", pushedAt: DateTimeOffset.Parse("2019-05-16T09:00:00Z").ToUnixTimeSeconds());
        var next = Hook("github", "pull_request/opened.payload.json", "gh-opened-3", body =>
        {
            body["number"] = 3;
            body["pull_request"]!["number"] = 3;
            body["pull_request"]!["created_at"] = "2019-05-16T10:00:00Z";
        });

        var snapshot = BuildHooks([.. later, next]);

        Assert.Equal(StartBasis.Created, snapshot.Changes[HelloWorld].StartBasis);
        Assert.Equal(StartBasis.Push, snapshot.Changes["Codertocat/Hello-World#3"].StartBasis);
        Assert.Equal(DateTimeOffset.Parse("2019-05-15T15:19:25Z"), snapshot.Changes["Codertocat/Hello-World#3"].FirstCommitAt);
    }

    [Fact]
    public void Push_AnyOrderOfArrival_SameTimeline()
    {
        var story = GitHubStory(pushRef: "refs/heads/changes").SelectMany(d => d).ToList();
        var random = new Random(3);

        var inOrder = TimelineDigest.Compute(BuildFacts(story));
        var reversed = TimelineDigest.Compute(BuildFacts(Enumerable.Reverse(story)));
        var shuffled = TimelineDigest.Compute(BuildFacts(story.Concat(story.Take(2)).OrderBy(_ => random.Next())));

        Assert.Equal(inOrder, reversed);
        Assert.Equal(inOrder, shuffled);
    }

    [Fact]
    public void Push_ImportedHistoryThenWebhooks_OneChangeFromTheEarliestCommit()
    {
        // import git names the change as GitHub does and knows a commit older than the push's (rebased away, say).
        var imported = new Fact(
            100, "/import/git/Codertocat/Hello-World", "change-" + MergeSha, "change", "merged", DateTimeOffset.Parse("2019-05-15T15:21:18Z"), HelloWorld,
            ChangeId: HelloWorld, Repository: "Codertocat/Hello-World", Sha: MergeSha, FirstCommitAt: DateTimeOffset.Parse("2019-05-15T15:00:00Z"));
        var webhooks = GitHubStory(pushRef: "refs/heads/changes").SelectMany(d => d).Select((e, i) => FactReader.Read(new StoredEvent(i + 1, HookReceivedAt, e))).OfType<Fact>();

        var snapshot = TimelineBuilder.Build([imported, .. webhooks], HookModel);

        var change = Assert.Single(snapshot.Changes.Values);
        Assert.Equal((DateTimeOffset.Parse("2019-05-15T15:00:00Z"), StartBasis.Commit), (change.FirstCommitAt, change.StartBasis));
        Assert.Equal(2, snapshot.Deployments.Count);
    }

    [Fact]
    public void Push_GitLabToMergeRequestSourceBranch_StartsAtEarliestCommit()
    {
        // go-gitlab's push, pointed at the merge request's project and source branch; its commits were authored in 2011 and 2012.
        var snapshot = BuildHooks(GitLabStory(sameProject: true));

        var change = snapshot.Changes["gitlabhq/gitlab-test!1"];
        Assert.Equal(DateTimeOffset.Parse("2011-12-12T14:27:31+02:00"), change.FirstCommitAt);
        Assert.Equal(StartBasis.Push, change.StartBasis);
        Assert.Equal(change.FirstCommitAt, change.StartedAt);
    }

    [Fact]
    public void Push_GitLabMergeRequestFromFork_DoesNotJoin()
    {
        // As the fixture is: the merge request's source is awesome_space/awesome_project, a fork; its branch is not the project's.
        var snapshot = BuildHooks(GitLabStory(sameProject: false));

        var change = Assert.Single(snapshot.Changes.Values);
        Assert.Null(change.FirstCommitAt);
        Assert.Equal(StartBasis.Created, change.StartBasis);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Push_StoredBeforeOrAfterItsPullRequest_SameTimeline(string provider)
    {
        var story = GitHubStory(pushRef: "refs/heads/changes");
        await using var first = await TestDatabase.CreateAsync(provider);
        await using var last = await TestDatabase.CreateAsync(provider);

        var pushFirst = await ProjectAsync(first, story);
        var pushLast = await ProjectAsync(last, [.. story.Skip(1), story[0]]);

        Assert.Equal(StartBasis.Push, pushFirst.Changes[HelloWorld].StartBasis);
        Assert.Equal(2.0, pushFirst.Changes[HelloWorld].LeadTimeHours);
        Assert.Equal(TimelineDigest.Compute(pushFirst), TimelineDigest.Compute(pushLast));
    }

    /// <summary>
    /// octokit's push (one commit, 15:19:25, pushed 15:20:57) to <paramref name="pushRef"/>; pull request #2 on branch
    /// <c>changes</c> opened at 15:20:33 and merged at 15:21:18 as <see cref="MergeSha"/>; a production deployment of another
    /// commit at 15:20:55, then one of the merge at 17:19:25, two hours after the commit.
    /// </summary>
    private static List<IReadOnlyList<EventDraft>> GitHubStory(string pushRef, long? pushedAt = null) =>
    [
        Hook("github", "push/with-new-branch.payload.json", "gh-push", body =>
        {
            body["ref"] = pushRef;
            if (pushedAt is { } at)
            {
                body["repository"]!["pushed_at"] = at;
            }
        }),
        Hook("github", "pull_request/opened.payload.json", "gh-opened"),
        Hook("github", "pull_request/closed.payload.json", "gh-merged", body =>
        {
            body["pull_request"]!["merged"] = true;
            body["pull_request"]!["merged_at"] = "2019-05-15T15:21:18Z";
        }),
        Hook("github", "deployment_status/payload.json", "gh-deployed-first"),
        Hook("github", "deployment_status/payload.json", "gh-deployed-merge", body =>
        {
            body["deployment"]!["sha"] = MergeSha;
            body["deployment"]!["id"] = 145988747;
            body["deployment_status"]!["id"] = 209916255;
            body["deployment_status"]!["created_at"] = "2019-05-15T17:19:25Z";
        }),
    ];

    /// <summary>go-gitlab's push and merge request !1 (source branch <c>ms-viewport</c>); with <paramref name="sameProject"/>, the
    /// push is to the merge request's project and branch and the merge request's source is its own project.</summary>
    private static List<IReadOnlyList<EventDraft>> GitLabStory(bool sameProject) =>
    [
        Hook("gitlab", "go-gitlab/push.json", "gl-push", body =>
        {
            body["ref"] = "refs/heads/ms-viewport";
            body["project"]!["path_with_namespace"] = "gitlabhq/gitlab-test";
        }),
        Hook("gitlab", "go-gitlab/merge_request.json", "gl-opened", body =>
        {
            if (sameProject)
            {
                body["object_attributes"]!["source"]!["path_with_namespace"] = "gitlabhq/gitlab-test";
            }
        }),
    ];

    private static IReadOnlyList<EventDraft> Hook(string tool, string fixture, string deliveryId, Action<JsonNode>? edit = null)
    {
        var body = JsonNode.Parse(Support.Hooks.Fixture($"{tool}/{fixture}"))!;
        edit?.Invoke(body);
        var headers = tool == "github" ? new Dictionary<string, string> { ["x-github-event"] = fixture.Split('/')[0] } : [];
        var translation = HookTranslator.Translate(new HookMessage(
            HookModel.Tools.Single(t => t.Id == tool), HookModel, deliveryId, headers, body.ToJsonString(), HookReceivedAt));
        Assert.True(translation.IsMapped, translation.UnmappedReason);
        return translation.Events;
    }

    private static TimelineSnapshot BuildHooks(IEnumerable<IReadOnlyList<EventDraft>> deliveries) => BuildFacts(deliveries.SelectMany(d => d));

    private static TimelineSnapshot BuildFacts(IEnumerable<EventDraft> events) =>
        TimelineBuilder.Build(events.Select((e, i) => FactReader.Read(new StoredEvent(i + 1, HookReceivedAt, e))).OfType<Fact>(), HookModel);

    private static async Task<TimelineSnapshot> ProjectAsync(TestDatabase database, IEnumerable<IReadOnlyList<EventDraft>> deliveries)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var store = await database.OpenStoreAsync();
        var projection = new TimelineProjection(store, HookModel, TimeProvider.System);
        foreach (var delivery in deliveries)
        {
            await store.AppendAsync(delivery, HookReceivedAt, cancel);
            await projection.CatchUpAsync(cancel);
        }

        return projection.Current;
    }
}

using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class JiraAdapterTests() : AdapterTests("jira", JiraAdapter.Translate)
{
    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "issue-created.json", ["ticket.created REL-17"] },
        { "issue-deleted.json", [] },
        { "issue-transitioned-done.json", ["ticket.closed REL-17"] },
        { "issue-updated.json", ["ticket.updated REL-17"] },
    };

    [Fact]
    public void Translate_Created_TicketFields()
    {
        var created = Assert.Single(Adapt("issue-created.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-03-20T14:27:05.315Z"), created.Timestamp);
        Assert.Equal(("Approve checkout 2.4.0 for production", "Approval", "REL"),
            (created.Content.At("summary"), created.Content.At("ticketType"), created.Content.At("group")));
        Assert.Equal(("Dana Reyes", "checkout"), (created.Content["assignees"]![0]!.ToString(), created.Content["labels"]![0]!.ToString()));
        Assert.Null(created.Content.At("updatedBy"));
    }

    [Fact]
    public void Translate_TransitionedToDone_ClosedWithResolutionAndStatuses()
    {
        var context = Adapt("issue-transitioned-done.json");
        var closed = Assert.Single(context.Events);

        Assert.Equal("jira:issue_transitioned", context.Event);
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T15:30:05Z"), closed.Timestamp);
        Assert.Equal(("Done", "Dana Reyes"), (closed.Content.At("resolution"), closed.Content.At("updatedBy")));
        Assert.Equal(("In Review", "Done"), (closed.Data.At("fromStatus"), closed.Data.At("toStatus")));
    }
}

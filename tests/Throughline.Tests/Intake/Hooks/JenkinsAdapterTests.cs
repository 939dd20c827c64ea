using Throughline.Intake.Hooks;

namespace Throughline.Tests.Intake.Hooks;

public sealed class JenkinsAdapterTests() : AdapterTests("jenkins", JenkinsAdapter.Translate)
{
    public static TheoryData<string, string[]> Fixtures => new()
    {
        { "completed.json", ["pipelinerun.finished checkout/42"] },
        { "finalized.json", [] },
        { "queued.json", ["pipelinerun.queued checkout/42"] },
        { "started.json", ["pipelinerun.started checkout/42"] },
    };

    [Fact]
    public void Translate_Completed_FinishedAtStartPlusDurationWithOutcome()
    {
        var finished = Assert.Single(Adapt("completed.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-03-20T14:28:28.315Z"), finished.Timestamp);
        Assert.Equal(("checkout", "failure"), (finished.Content.At("pipelineName"), finished.Content.At("outcome")));
        Assert.Equal(("FAILURE", "9fceb02d0ae598e95dc970b74767f19372d61af8"), (finished.Data.At("status"), finished.Data.At("commitSha")));
        Assert.Equal("https://github.com/acme/checkout.git", finished.Data.At("repositoryUrl"));
    }

    [Fact]
    public void Translate_Started_StartTimeAndNoOutcome()
    {
        var started = Assert.Single(Adapt("started.json").Events);

        Assert.Equal(DateTimeOffset.Parse("2026-03-20T14:27:05.315Z"), started.Timestamp);
        Assert.Null(started.Content.At("outcome"));
    }
}

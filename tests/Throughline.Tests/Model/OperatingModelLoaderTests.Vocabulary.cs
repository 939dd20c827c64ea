using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    [Fact]
    public void LoadText_MisspeltPredicate_SuggestsTheEvent()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: change.mergd");

        result.SingleError(22, 18, "unknown event 'change.mergd' in 'ends' of stage 'review'", "did you mean 'change.merged'?");
    }

    [Fact]
    public void LoadText_MisspeltSubject_SuggestsTheEvent()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: chnage.merged");

        result.SingleError(22, 11, "unknown event subject 'chnage' in 'ends' of stage 'review'", "did you mean 'change.merged'?");
    }

    [Fact]
    public void LoadText_MisspeltFilterKey_SuggestsTheField()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: service.deployed enviroment=staging");

        result.SingleError(22, 28, "unknown filter 'enviroment' for service events in 'ends' of stage 'review'", "did you mean 'environment'?");
    }

    [Fact]
    public void LoadText_FilterKeyTheEventDoesNotCarry_IsError()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: 'ticket.closed environment=production'");

        result.SingleError(22, 26, "unknown filter 'environment' for ticket events", "expected one of: source");
    }

    [Fact]
    public void LoadText_StageToolThatNeverSendsItsEvent_IsWarning()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: ticket.closed");

        var warning = Assert.Single(result.Surprises());
        Assert.Equal((21, 11, ProblemSeverity.Warning), (warning.Line, warning.Column, warning.Severity));
        Assert.Contains("tool 'github' of stage 'review' is of kind 'github', which never sends ticket.closed events", warning.Message, StringComparison.Ordinal);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void LoadText_StageToolWithoutTheHostsEvents_IsNotChecked()
    {
        var result = ModelText.Load(ModelText.Minimal.Replace("ends: change.merged", "ends: ticket.closed", StringComparison.Ordinal),
            ModelText.Options() with { ToolKindEvents = null });

        Assert.Empty(result.Surprises());
    }

    [Fact]
    public void LoadText_FieldsNotUsedYet_WarnWhereTheyAre()
    {
        var result = ModelText.Load(ModelText.Minimal
            .Replace("services:", "people:\n  - id: ann\n    team: web\nservices:", StringComparison.Ordinal)
            .Replace("ends: change.merged", "ends: change.merged\n    automated: true\n    checks: [lint]", StringComparison.Ordinal));

        Assert.Equal(
            [
                (20, 3, "responsibility 'deploy-production' accepted, not used yet"),
                (24, 5, "'tool' of stage 'review' accepted, not used yet"),
                (26, 5, "'automated' of stage 'review' accepted, not used yet"),
            ],
            result.Problems.Select(p => (p.Line, p.Column, p.Message[..p.Message.IndexOf(" (", StringComparison.Ordinal)])));
        Assert.True(result.IsValid);
    }
}

using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    // Appended to ModelText.Minimal, so 'diagnostics:' is line 23 and the first threshold line 25.
    [Fact]
    public void LoadText_DiagnosticsThresholds_ReadInEachSignsUnit()
    {
        var result = ModelText.Load(ModelText.Minimal + """

            diagnostics:
              thresholds:
                status-unknown: 0.25
                tools-without-integration: 2
                rollbacks-need-people: 3
                slow-onboarding: 36h
            """);

        Assert.Empty(result.Surprises());
        var diagnostics = result.Model!.Diagnostics;
        Assert.Equal(0.25, diagnostics.Threshold(DiagnosticsSettings.StatusUnknown));
        Assert.Equal(2, diagnostics.Threshold(DiagnosticsSettings.ToolsWithoutIntegration));
        Assert.Equal(3, diagnostics.Threshold(DiagnosticsSettings.RollbacksNeedPeople));
        Assert.Equal(1.5, diagnostics.Threshold(DiagnosticsSettings.SlowOnboarding)); // 36 h in days
        Assert.Equal(0.25, diagnostics.Threshold(DiagnosticsSettings.BlameAtHandoffs)); // not set: the default
    }

    [Fact]
    public void LoadText_NoDiagnosticsSection_EveryThresholdIsItsDefault()
    {
        var diagnostics = ModelText.Load(ModelText.Minimal).Model!.Diagnostics;

        Assert.Equal(
            [0.1, 0.1, 0, 2, 14, 0.25, 0],
            DiagnosticsSettings.Definitions.Select(d => diagnostics.Threshold(d.Id)));
    }

    [Fact]
    public void LoadText_ShareAboveOne_NamesTheKeyWhatToWriteAndTheDefault()
    {
        var result = ModelText.Load(ModelText.Minimal + "\ndiagnostics:\n  thresholds:\n    no-end-to-end: 10\n");

        result.SingleError(25, 20, "invalid threshold '10' for 'no-end-to-end' in 'diagnostics.thresholds'", "a share from 0 to 1, such as 0.1", "the default is 0.1");
    }

    [Fact]
    public void LoadText_OnboardingInWeeks_ExpectsADuration()
    {
        var result = ModelText.Load(ModelText.Minimal + "\ndiagnostics:\n  thresholds:\n    slow-onboarding: 2w\n");

        result.SingleError(25, 22, "invalid threshold '2w' for 'slow-onboarding'", "such as 90s, 30m, 24h or 2d", "the default is 14d");
    }

    [Fact]
    public void LoadText_NoOneNeededForARollback_ExpectsAtLeastOnePerson()
    {
        var result = ModelText.Load(ModelText.Minimal + "\ndiagnostics:\n  thresholds:\n    rollbacks-need-people: 0\n");

        result.SingleError(25, 28, "invalid threshold '0' for 'rollbacks-need-people'", "1 or more");
    }

    [Fact]
    public void LoadText_MisspeltThreshold_SuggestsTheSign()
    {
        var result = ModelText.Load(ModelText.Minimal + "\ndiagnostics:\n  thresholds:\n    status-unknwon: 0.2\n");

        result.SingleError(25, 5, "unknown key 'status-unknwon' in 'diagnostics.thresholds'", "did you mean 'status-unknown'?");
    }
}

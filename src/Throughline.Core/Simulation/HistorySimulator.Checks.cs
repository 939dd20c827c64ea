using System.Globalization;

namespace Throughline.Simulation;

public sealed partial class HistorySimulator
{
    /// <summary>The test suite every production deployment is checked with, a few minutes after it.</summary>
    public const string SmokeTests = "smoke-tests";

    // Smoke tests draw from a stream of their own: they were added to a simulator whose histories tests pin, and every
    // event those histories held is still there, the same byte for byte, with the smoke tests between them.
    private const int ChecksSeed = 0x5e0c7e57;

    private readonly Randomness _checks;
    private long _smokeTestNumber;
    private bool _smokeFailureForced;

    /// <summary>True for the one production deployment <see cref="SimulationOptions.FailSmokeTestAfter"/> picks: the first at or after it.</summary>
    private bool ForcesSmokeFailure()
    {
        if (_smokeFailureForced || _options.FailSmokeTestAfter is not { } after || Clock < after)
        {
            return false;
        }

        _smokeFailureForced = true;
        return true;
    }

    /// <summary>
    /// The CI tool runs the smoke tests against production 2 to 6 minutes after a deployment of <paramref name="artifact"/>.
    /// They catch about half of the deployments that go on to cause an incident, never fail otherwise, and always fail when
    /// <paramref name="forcedFailure"/>.
    /// </summary>
    private void RunSmokeTests(ServiceState state, string artifact, bool causesIncident, bool forcedFailure)
    {
        var failed = forcedFailure || (causesIncident && _checks.Chance(0.5));
        var source = $"https://github.com/{state.Service.Repository}/actions";
        var number = ++_smokeTestNumber;
        var run = $"{state.Service.Id}-smoke-{number}";
        var id = $"{_organisation.Slug}-{_options.Seed}-smoke-{number.ToString("x", CultureInfo.InvariantCulture)}";
        After(TimeSpan.FromMinutes(_checks.Uniform(2, 6)), () =>
            Emit(_checks, id, SimulatedTool.Actions, source, "testsuiterun.finished.0.3.0", null, run,
                w =>
                {
                    w.WriteString("outcome", failed ? "failure" : "success");
                    CdEventJson.Reference(w, "environment", "production", "/argocd/production");
                    w.WriteStartObject("testSuite");
                    w.WriteString("id", SmokeTests);
                    w.WriteString("name", SmokeTests);
                    w.WriteEndObject();
                },
                w =>
                {
                    w.WriteString("service", state.Service.Id);
                    w.WriteString("artifactId", artifact);
                }));
    }
}

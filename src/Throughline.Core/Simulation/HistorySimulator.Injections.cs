using System.Text.Json;

namespace Throughline.Simulation;

public sealed partial class HistorySimulator
{
    // What the injections draw comes from a stream of its own, as the smoke tests' does: without them no draw is made and the
    // history is what it always was, byte for byte.
    private const int InjectionsSeed = 0x1e7ec7ed;

    private readonly Randomness _injections;
    private readonly List<InjectedApproval> _selfApprovals = [];

    /// <summary>What was injected into the history so far (null when nothing is: <see cref="SimulationOptions.Injects"/>).</summary>
    public SimulationTruth? Truth()
    {
        if (!_options.Injects)
        {
            return null;
        }

        var selfApproval = _options.SelfApprovingTeam is { } team
            ? new SelfApprovalTruth(team, SimulatedBottleneck.QaSignOff, _organisation.QaTeam,
                [.. _organisation.Services.Where(s => s.Owner == team && s.NeedsQaSignOff).Select(s => s.Id)], [.. _selfApprovals])
            : null;
        return new SimulationTruth(_options.Seed, Start, _options.Days, _options.Bottleneck, selfApproval);
    }

    /// <summary>How long a change waits for its first reviewer once a review bottleneck multiplies <paramref name="pickup"/>.</summary>
    private TimeSpan ReviewWait(TimeSpan pickup) =>
        _options.Bottleneck is { Stage: SimulatedBottleneck.Review } bottleneck ? pickup * bottleneck.Factor : pickup;

    /// <summary>How much later a batch of QA tickets whose first waited <paramref name="waited"/> in QA's queue is picked up (and closed) under a QA bottleneck.</summary>
    private TimeSpan QaHold(TimeSpan waited) =>
        _options.Bottleneck is { Stage: SimulatedBottleneck.QaSignOff } bottleneck ? waited * (bottleneck.Factor - 1) : TimeSpan.Zero;

    /// <summary>
    /// Runs <paramref name="step"/> (starting or closing a batch of <paramref name="state"/>'s sign-off tickets) now, or
    /// <paramref name="hold"/> later at the next working time, and never before the service's batch held before it: an
    /// artifact must not be deployed, carrying earlier changes along, before their own sign-off closes.
    /// </summary>
    private void Held(ServiceState state, TimeSpan hold, bool closing, Action step)
    {
        if (_options.Bottleneck is not { Stage: SimulatedBottleneck.QaSignOff })
        {
            step();
            return;
        }

        var (start, close) = state.SignOffsHeldUntil;
        var at = hold > TimeSpan.Zero ? WorkingHours.Next(Clock + hold) : Clock;
        at = closing ? (at > close ? at : close) : (at > start ? at : start);
        state.SignOffsHeldUntil = closing ? (start, at) : (at, close);
        if (at <= Clock)
        {
            step();
            return;
        }

        At(at, step);
    }

    /// <summary>Whether the service's owner approves its own deployments (<see cref="SimulationOptions.SelfApprovingTeam"/>).</summary>
    private bool SelfApproves(ServiceState state) => state.Service.Owner == _options.SelfApprovingTeam;

    /// <summary>The QA person who handles a batch of tickets, named only when the history names who acts on tickets.</summary>
    private string? Tester() => _options.SelfApprovingTeam is null ? null : _injections.Pick(_organisation.Team(_organisation.QaTeam).People);

    /// <summary>A <c>customData</c> naming who acted, or none when nobody is named.</summary>
    private static Action<Utf8JsonWriter>? Naming(string property, string? person) =>
        person is null ? null : w => w.WriteString(property, person);

    /// <summary>
    /// One of the service owner's own people picks the sign-off ticket up, outside QA's queue, LN(30 min, 0.8) working hours
    /// after it was opened, and closes it LN(20 min, 0.6) working hours later: the deployment goes ahead without the
    /// approval the model declares.
    /// </summary>
    private void SelfApprove(Artifact artifact, string ticket, Action<string?> start, Action<string?> close)
    {
        var state = artifact.Change.State;
        var approver = _injections.Pick(_organisation.Team(state.Service.Owner).People);
        At(WorkingHours.Add(Clock, _injections.LogNormal(TimeSpan.FromMinutes(30), 0.8)), () =>
        {
            start(approver);
            At(WorkingHours.Add(Clock, _injections.LogNormal(TimeSpan.FromMinutes(20), 0.6)), () =>
            {
                _selfApprovals.Add(new InjectedApproval(artifact.Change.Id, state.Service.Id, ticket, approver, Clock));
                close(approver);
            });
        });
    }
}

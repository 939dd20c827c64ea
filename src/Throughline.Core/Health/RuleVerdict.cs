namespace Throughline.Health;

/// <summary>Where a metric rule stands during and after its verification window.</summary>
public enum RuleState
{
    /// <summary>Not decided yet: more measurements are due.</summary>
    Running,

    /// <summary>The rule held: early (enough passing measurements in a row) or at the window's end.</summary>
    Passed,

    /// <summary>More measurements failed than the failure limit allows.</summary>
    Failed,

    /// <summary>The window ended with fewer measurements with a value than the rule's minimum; its no-data policy decides the outcome.</summary>
    NoData,
}

/// <summary>What a rule's verdict means for the deployment.</summary>
public enum RuleOutcome
{
    /// <summary>The rule is still running.</summary>
    Undecided,

    /// <summary>Healthy as far as this rule can tell.</summary>
    Passed,

    /// <summary>The deployment failed this rule.</summary>
    Failed,

    /// <summary>Neither: a person looks (no data under the default policy).</summary>
    Inconclusive,
}

/// <summary>A metric rule's verdict, with the reason a person reads and the measurements it rests on.</summary>
/// <param name="RuleId">The rule's id.</param>
/// <param name="State">Where the rule stands.</param>
/// <param name="Outcome">
/// What it means: <see cref="RuleOutcome.Undecided"/> while running, the state itself once passed or failed, and the rule's
/// no-data policy's outcome for <see cref="RuleState.NoData"/>.
/// </param>
/// <param name="Reason">Why, with the counts: <c>3 of 5 measurements &gt; 0.02 (failure limit 1); latest 0.05 at 10:03:00Z</c>.</param>
/// <param name="NextDue">
/// While running, when to measure next: the first due time not measured yet (in the past when overdue: measure it now, at
/// that time), or the window's end when every due time is measured. Null once decided.
/// </param>
/// <param name="Evidence">
/// The measurements the verdict rests on, in time order: the failed ones (failed, or running with failures so far), the passing
/// run (passed early), those with a value (passed at the window's end), or those without one (no data).
/// </param>
public sealed record RuleVerdict(
    string RuleId, RuleState State, RuleOutcome Outcome, string Reason, DateTimeOffset? NextDue, IReadOnlyList<Measurement> Evidence)
{
    /// <summary>True once the rule is decided: later measurements cannot change the verdict.</summary>
    public bool IsDecided => State != RuleState.Running;
}

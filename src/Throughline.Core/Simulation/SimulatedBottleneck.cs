using System.Globalization;

namespace Throughline.Simulation;

/// <summary>A bottleneck injected into the simulated flow: the waiting of one stage multiplied, so that analysis has a known answer to find.</summary>
/// <param name="Stage">The stage: <see cref="Review"/> (the wait for a change's first reviewer) or <see cref="QaSignOff"/> (a QA ticket's wait for a tester).</param>
/// <param name="Factor">How many times longer the stage waits (more than 1, at most <see cref="MaxFactor"/>).</param>
/// <remarks>
/// Review's waiting is drawn per change, so it is multiplied exactly. QA sign-off's waiting comes out of QA's queue: a ticket
/// that waited <c>w</c> in the queue is picked up <c>w × (factor − 1)</c> later (around the clock, then at the next working
/// time), and closed as much later, while the tester's work and the queue itself stay as they were.
/// </remarks>
public sealed record SimulatedBottleneck(string Stage, double Factor)
{
    /// <summary>The code review stage of the simulated model.</summary>
    public const string Review = "review";

    /// <summary>The QA sign-off stage of the simulated model (the approval stage).</summary>
    public const string QaSignOff = "qa-signoff";

    /// <summary>The factor when the text names the stage alone.</summary>
    public const double DefaultFactor = 4;

    /// <summary>The largest factor accepted.</summary>
    public const double MaxFactor = 100;

    /// <summary>The stages a bottleneck can be injected into.</summary>
    public static IReadOnlyList<string> Stages { get; } = [Review, QaSignOff];

    /// <summary>Reads <c>STAGE</c> or <c>STAGE=FACTOR</c> (<c>review=6</c>); false with the problem, naming the value and what is accepted.</summary>
    public static bool TryParse(string text, out SimulatedBottleneck? bottleneck, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        bottleneck = null;
        var parts = text.Split('=', 2);
        var stage = parts[0].Trim();
        var factor = DefaultFactor;
        if (!Stages.Contains(stage, StringComparer.Ordinal))
        {
            problem = $"--bottleneck '{text}': unknown stage '{stage}' (expected {string.Join(" or ", Stages)}, optionally =FACTOR, for example review=6)";
            return false;
        }

        if (parts.Length == 2 && !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out factor))
        {
            problem = $"--bottleneck '{text}': '{parts[1]}' is not a number (expected STAGE=FACTOR, for example review=6)";
            return false;
        }

        bottleneck = new SimulatedBottleneck(stage, factor);
        problem = bottleneck.Problem();
        if (problem is not null)
        {
            bottleneck = null;
        }

        return problem is null;
    }

    /// <summary>What is wrong with this bottleneck, or null.</summary>
    public string? Problem()
    {
        if (!Stages.Contains(Stage, StringComparer.Ordinal))
        {
            return $"--bottleneck {Stage}: unknown stage (expected {string.Join(" or ", Stages)})";
        }

        return Factor is > 1 and <= MaxFactor
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"--bottleneck {Stage}={Factor}: expected a factor more than 1 and at most {MaxFactor}");
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Stage}={Factor}");
}

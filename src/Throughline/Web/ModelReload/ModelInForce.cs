using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Web.ModelReload;

/// <summary>One operating model and the timeline projected onto it: what a request reads, as one value.</summary>
/// <param name="Model">The model, or null when the server runs without one.</param>
/// <param name="Warnings">What validating it warned about.</param>
/// <param name="Projection">The timeline mapped onto <paramref name="Model"/>, kept up to date while this pair is in force.</param>
/// <param name="Yaml">The model's text as loaded; null when it was given as a value (tests) or there is none.</param>
/// <param name="Hash">SHA-256 of <paramref name="Yaml"/> (lowercase hex); null without text.</param>
/// <param name="Origin">Where it came from: <c>file PATH</c>, <c>api</c>, <c>signal</c>.</param>
internal sealed record ModelState(
    OperatingModel? Model, IReadOnlyList<ModelProblem> Warnings, TimelineProjection Projection, string? Yaml, string? Hash, string? Origin);

/// <summary>A newer model that was refused: when, from where, and its problems.</summary>
public sealed record ModelRefusal(DateTimeOffset At, string Origin, IReadOnlyList<ModelProblem> Problems)
{
    /// <summary>The errors, one located line each (warnings left out).</summary>
    public IReadOnlyList<string> Errors => [.. Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.ToString())];
}

/// <summary>The model in force and the timeline projected onto it, swapped in one step when a new model is loaded.</summary>
/// <remarks>Thread safe: readers take <see cref="Current"/> once and use that pair; <see cref="ModelReloader"/> swaps it.</remarks>
internal sealed class ModelInForce(ModelState initial, Func<OperatingModel?, TimelineProjection> project)
{
    private volatile ModelState _current = initial;
    private volatile ModelRefusal? _refused;

    /// <summary>The pair in force now.</summary>
    public ModelState Current => _current;

    /// <summary>The latest refused model, if none was accepted since.</summary>
    public ModelRefusal? Refused => _refused;

    /// <summary>A new projection of the store onto <paramref name="model"/>, not yet caught up.</summary>
    public TimelineProjection Project(OperatingModel? model) => project(model);

    internal void Swap(ModelState next)
    {
        _current = next;
        _refused = null;
    }

    internal void Refuse(ModelRefusal refusal) => _refused = refusal;

    internal void ClearRefusal() => _refused = null;
}

namespace Throughline.Model;

/// <summary>The outcome of loading an operating model: the model when it is usable, and every problem found.</summary>
/// <param name="Model">The model, or null when any problem is an error.</param>
/// <param name="Problems">Every error and warning, ordered by line and column.</param>
public sealed record ModelLoadResult(OperatingModel? Model, IReadOnlyList<ModelProblem> Problems)
{
    /// <summary>True when there is a model and no problem is an error (warnings are allowed).</summary>
    public bool IsValid => Model is not null && !Problems.Any(p => p.Severity == ProblemSeverity.Error);
}

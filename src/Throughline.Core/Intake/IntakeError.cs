namespace Throughline.Intake;

/// <summary>Why one item of a request was refused.</summary>
/// <param name="Index">Zero-based position of the item in the request; null when the problem is the body as a whole.</param>
/// <param name="Field">The field at fault, as a dotted path (<c>context.timestamp</c>); empty for the whole item.</param>
/// <param name="Reason">What is wrong and what was expected.</param>
public sealed record IntakeError(int? Index, string Field, string Reason)
{
    /// <summary>The error as one line, for the command line.</summary>
    public override string ToString() =>
        (Index is { } index ? $"item {index}: " : "") + (Field.Length > 0 ? $"{Field}: " : "") + Reason;
}

/// <summary>The events read from a request, or every reason it was refused.</summary>
/// <remarks>When <see cref="Errors"/> is not empty the request is refused whole: nothing of it is stored.</remarks>
public sealed record EventBatch(IReadOnlyList<Storage.EventDraft> Events, IReadOnlyList<IntakeError> Errors)
{
    /// <summary>True when the whole request may be stored.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>A request refused for one reason.</summary>
    public static EventBatch Refused(IntakeError error) => new([], [error]);
}

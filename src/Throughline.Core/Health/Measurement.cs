namespace Throughline.Health;

/// <summary>One measurement of a metric rule's query: a number, or no data and why.</summary>
/// <param name="At">The instant the query was evaluated at (Prometheus' <c>time=</c>): the due time it stands for, not the moment it was asked.</param>
/// <param name="Value">The number, always finite; null when there is no data.</param>
/// <param name="NoDataReason">Why there is no value (names the Prometheus URL for an error); null when there is one.</param>
/// <param name="IsError">
/// True when there is no value because asking failed (an HTTP error, Prometheus refused the query, a timeout, no connection, an
/// answer that is not one number); false for a value, and for an answer that was empty, NaN or infinite.
/// </param>
/// <remarks>The judge counts an error and an empty answer alike, as a measurement without a value; the flag keeps them apart
/// for the people reading the reason ("2 empty, 1 error").</remarks>
/// <param name="Baseline">The same query's value for the previous deployment at the same point of its window, when the rule has a
/// baseline and Prometheus had one; null otherwise.</param>
public sealed record Measurement(DateTimeOffset At, double? Value, string? NoDataReason, bool IsError = false, double? Baseline = null)
{
    /// <summary>The number, always finite; null when there is no data.</summary>
    public double? Value { get; init; } = Value is { } number && !double.IsFinite(number)
        ? throw new ArgumentOutOfRangeException(nameof(Value), number, "a measurement's value is finite; NaN and infinities are no data")
        : Value;

    /// <summary>A measurement with a value.</summary>
    /// <param name="at">The instant the query was evaluated at.</param>
    /// <param name="value">The value, finite.</param>
    public static Measurement Of(DateTimeOffset at, double value) => new(at, value, null);

    /// <summary>An answer without a value: an empty result, NaN or an infinity.</summary>
    /// <param name="at">The instant the query was evaluated at.</param>
    /// <param name="reason">Why there is no value.</param>
    public static Measurement Empty(DateTimeOffset at, string reason) => new(at, null, reason);

    /// <summary>No answer: asking failed.</summary>
    /// <param name="at">The instant the query was to be evaluated at.</param>
    /// <param name="reason">What failed, naming the URL asked.</param>
    public static Measurement Failed(DateTimeOffset at, string reason) => new(at, null, reason, IsError: true);
}

namespace Throughline.Model;

/// <summary>How a warning sign's threshold is written in the model and what its value counts.</summary>
public enum ThresholdKind
{
    /// <summary>A share from 0 to 1 (<c>0.1</c> is 10 %).</summary>
    Share,

    /// <summary>A whole number of things, 0 or more.</summary>
    Count,

    /// <summary>A whole number of people, 1 or more.</summary>
    People,

    /// <summary>A duration (<c>14d</c>, <c>36h</c>), held in days.</summary>
    Days,
}

/// <summary>One warning sign's threshold: its id (the key under <c>diagnostics.thresholds</c>), how it is written and its default.</summary>
/// <param name="Id">The sign's id, kebab-case (<c>status-unknown</c>).</param>
/// <param name="Kind">How the threshold is written and what the sign's value counts.</param>
/// <param name="Default">The threshold when the model gives none, in the sign's unit (a share, a count, people, days).</param>
public sealed record ThresholdDefinition(string Id, ThresholdKind Kind, double Default);

/// <summary>The model's <c>diagnostics</c> section: the warning signs' thresholds (docs/diagnostics.md, "Warning signs").</summary>
/// <param name="Thresholds">The thresholds the file sets, by sign id, in the sign's unit (durations in days); the others take their default.</param>
/// <remarks>A sign is breached when its value is <em>above</em> its threshold, so a threshold is the worst value still accepted.</remarks>
public sealed record DiagnosticsSettings(IReadOnlyDictionary<string, double> Thresholds)
{
    /// <summary>The sign id of in-flight changes nobody has heard of for longer than their stage usually takes.</summary>
    public const string StatusUnknown = "status-unknown";

    /// <summary>The sign id of production deployments that cannot be followed back to a change's start.</summary>
    public const string NoEndToEnd = "no-end-to-end";

    /// <summary>The sign id of tools doing the same job, or whose events never reach a change.</summary>
    public const string ToolsWithoutIntegration = "tools-without-integration";

    /// <summary>The sign id of rollbacks that took several people.</summary>
    public const string RollbacksNeedPeople = "rollbacks-need-people";

    /// <summary>The sign id of the time from a person's first event to their first change in production.</summary>
    public const string SlowOnboarding = "slow-onboarding";

    /// <summary>The sign id of lead time spent waiting at a team boundary.</summary>
    public const string BlameAtHandoffs = "blame-at-handoffs";

    /// <summary>The sign id of incident causes seen more than once (recurring post-mortem causes).</summary>
    public const string RecurringCauses = "recurring-causes";

    /// <summary>Every threshold the model accepts, with its default, in the order the signs are reported.</summary>
    /// <remarks>A sign added later adds its row here; the reader and the defaults follow.</remarks>
    public static IReadOnlyList<ThresholdDefinition> Definitions { get; } =
    [
        new(StatusUnknown, ThresholdKind.Share, 0.1),
        new(NoEndToEnd, ThresholdKind.Share, 0.1),
        new(ToolsWithoutIntegration, ThresholdKind.Count, 0),
        new(RollbacksNeedPeople, ThresholdKind.People, 2),
        new(SlowOnboarding, ThresholdKind.Days, 14),
        new(BlameAtHandoffs, ThresholdKind.Share, 0.25),
        new(RecurringCauses, ThresholdKind.Count, 0),
    ];

    /// <summary>The settings used when the file has no <c>diagnostics</c> section: every default.</summary>
    public static DiagnosticsSettings Default { get; } = new(new Dictionary<string, double>(StringComparer.Ordinal));

    /// <summary>The threshold of sign <paramref name="id"/>: the file's, else its default.</summary>
    /// <exception cref="ArgumentException">No sign has that id.</exception>
    public double Threshold(string id) =>
        Thresholds.TryGetValue(id, out var set) ? set
        : Definitions.FirstOrDefault(d => d.Id == id)?.Default ?? throw new ArgumentException($"no warning sign '{id}' has a threshold", nameof(id));
}

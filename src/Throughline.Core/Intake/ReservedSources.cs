using Throughline.Intake.Hooks;

namespace Throughline.Intake;

/// <summary>The event sources only Throughline itself writes: the webhook adapters' (<c>/hooks/TOOL</c>), its own
/// release-health events (<see cref="Health"/>), the CI/CD spans received over OTLP (<see cref="Otlp"/>) and the history <c>throughline import</c> reads (<see cref="Import"/>).
/// <c>POST /api/events</c> refuses an event that claims one.</summary>
public static class ReservedSources
{
    /// <summary>The source of the events Throughline writes while it verifies deployments and acts on their verdicts.</summary>
    public const string Health = "/throughline/health";

    /// <summary>The root of the sources of imported history (<c>/import/git/OWNER/NAME</c>).</summary>
    public const string Import = "/import";

    /// <summary>The root of the sources of CI/CD spans received over OTLP (<c>/otlp/SERVICE</c>, after the spans' <c>service.name</c>).</summary>
    public const string Otlp = "/otlp";

    /// <summary>True for <see cref="Health"/> and the sources under it.</summary>
    public static bool IsHealth(string source) =>
        source == Health || source.StartsWith(Health + "/", StringComparison.Ordinal);

    /// <summary>Why a caller may not claim <paramref name="source"/>, or null when it may.</summary>
    public static string? Refusal(string source) =>
        HookTranslator.ClaimsHook(source) ? $"'{source}' is a webhook adapter's source: only POST /hooks/{{tool}} writes those (with the tool's signature)"
        : IsHealth(source) ? $"'{source}' is reserved for the events Throughline writes itself about release health"
        : source.StartsWith(Import + "/", StringComparison.Ordinal) ? $"'{source}' is imported history's: only throughline import writes those (run it against the repository or the export)"
        : source == Otlp || source.StartsWith(Otlp + "/", StringComparison.Ordinal) ? $"'{source}' is OpenTelemetry spans': only POST /v1/traces writes those (send the spans there, over OTLP)"
        : null;
}

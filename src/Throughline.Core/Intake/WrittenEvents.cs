using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Storage;

namespace Throughline.Intake;

/// <summary>
/// The CDEvents Throughline writes itself from what a tool sent in another form (a webhook, a git history, an OpenTelemetry
/// span): composed in one shape, then read back as every CDEvent is (<see cref="CdEventReader"/>, so held to
/// <see cref="InputLimits"/> like anything a tool posts).
/// </summary>
internal static class WrittenEvents
{
    /// <summary>The CDEvents specification version written into generated events.</summary>
    public const string SpecVersion = "0.5.0";

    /// <summary>A CDEvent: its context, its subject (with <paramref name="subjectSource"/> when given) and its <c>customData</c> (when given).</summary>
    /// <param name="source">The <c>context.source</c>.</param>
    /// <param name="id">The <c>context.id</c>, unique within the source.</param>
    /// <param name="type">The full type (<c>dev.cdevents.change.merged.0.3.0</c>).</param>
    /// <param name="at">The <c>context.timestamp</c>.</param>
    /// <param name="subjectId">The <c>subject.id</c>.</param>
    /// <param name="subjectSource">The <c>subject.source</c>; null leaves it out.</param>
    /// <param name="content">The <c>subject.content</c>.</param>
    /// <param name="custom">The <c>customData</c>, written as JSON; null leaves it out.</param>
    public static JsonObject Compose(
        string source, string id, string type, DateTimeOffset at, string subjectId, string? subjectSource, JsonObject content, JsonObject? custom)
    {
        var subject = new JsonObject { ["id"] = subjectId };
        if (subjectSource is not null)
        {
            subject["source"] = subjectSource;
        }

        subject["content"] = content;
        var cdEvent = new JsonObject
        {
            ["context"] = new JsonObject
            {
                ["specversion"] = SpecVersion,
                ["id"] = id,
                ["source"] = source,
                ["type"] = type,
                ["timestamp"] = Timestamps.Format(at),
            },
            ["subject"] = subject,
        };
        if (custom is not null)
        {
            cdEvent["customDataContentType"] = "application/json";
            cdEvent["customData"] = custom;
        }

        return cdEvent;
    }

    /// <summary><paramref name="cdEvent"/> read as a posted CDEvent would be; null with <paramref name="errors"/> filled when it breaks a limit.</summary>
    /// <param name="cdEvent">The event, as <see cref="Compose"/> writes it.</param>
    /// <param name="origin">Where it came in (<c>hook:github</c>, <c>cli</c>, <c>otlp</c>), recorded on the stored event.</param>
    /// <param name="errors">Receives what is wrong with it.</param>
    public static EventDraft? Read(JsonObject cdEvent, string origin, List<IntakeError> errors)
    {
        ArgumentNullException.ThrowIfNull(cdEvent);
        var text = cdEvent.ToJsonString();
        using var document = JsonDocument.Parse(text);
        return CdEventReader.Read(document.RootElement, text, null, origin, null, errors);
    }
}

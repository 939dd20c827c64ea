using System.Text.Json;
using Throughline.Storage;

namespace Throughline.Intake;

/// <summary>Checks one CDEvent (any spec version from 0.3 to 0.6-draft) and turns it into an <see cref="EventDraft"/>.</summary>
/// <remarks>
/// Required: <c>context.id</c>, <c>context.source</c>, <c>context.type</c> (a <c>dev.cdevents.*</c> or
/// <c>dev.cdeventsx.*</c> type), <c>context.timestamp</c> (RFC 3339 with a zone), the spec version as
/// <c>context.specversion</c> (0.5 and later) or <c>context.version</c> (0.3, 0.4), and <c>subject.id</c>.
/// <c>subject.type</c> is optional (it was dropped in 0.5). Everything else is kept verbatim in the payload.
/// The fields kept in columns (ids, source, type, spec version) are held to <see cref="InputLimits"/>. The JSON itself must
/// already be strict (<see cref="EventBatchReader"/> checks it): every string decodes, so reading one never throws.
/// </remarks>
internal static class CdEventReader
{
    /// <summary>Reads the CDEvent <paramref name="cdEvent"/>; on failure adds each problem to <paramref name="errors"/> and returns null.</summary>
    /// <param name="cdEvent">The CDEvent object.</param>
    /// <param name="payload">The text stored for it, verbatim.</param>
    /// <param name="index">The item's position in the request, for error messages.</param>
    /// <param name="origin">How it arrived (<c>api</c>, <c>cli</c>).</param>
    /// <param name="envelope">CloudEvents attributes sent outside the payload, as JSON, or null.</param>
    /// <param name="errors">Receives every problem found.</param>
    /// <param name="fieldPrefix">Prefix for field paths when the CDEvent is nested (<c>data.</c> in CloudEvents).</param>
    public static EventDraft? Read(
        JsonElement cdEvent, string payload, int? index, string origin, string? envelope, List<IntakeError> errors, string fieldPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (cdEvent.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(index, fieldPrefix.TrimEnd('.'), $"expected a CDEvent object, found {Describe(cdEvent)}"));
            return null;
        }

        if (!cdEvent.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(index, fieldPrefix + "context", context.ValueKind == JsonValueKind.Undefined
                ? "missing; a CDEvent needs a context object"
                : $"expected an object, found {Describe(context)}"));
            return null;
        }

        var id = RequiredString(context, "id", index, fieldPrefix + "context.", errors, InputLimits.MaxIdBytes);
        var source = RequiredString(context, "source", index, fieldPrefix + "context.", errors, InputLimits.MaxSourceBytes);
        var type = RequiredString(context, "type", index, fieldPrefix + "context.", errors, InputLimits.MaxTypeBytes);
        var timestampText = RequiredString(context, "timestamp", index, fieldPrefix + "context.", errors);
        var specVersion = SpecVersion(context, index, fieldPrefix, errors);

        if (type is not null && !CdEventVocabulary.HasCdEventsPrefix(type))
        {
            errors.Add(new(index, fieldPrefix + "context.type",
                $"'{JsonText.Quote(type)}' is not a CDEvents type (expected dev.cdevents.SUBJECT.PREDICATE.VERSION or dev.cdeventsx.TOOL-SUBJECT.PREDICATE.VERSION)"));
        }

        DateTimeOffset timestamp = default;
        if (timestampText is not null && !Timestamps.TryParseRfc3339(timestampText, out timestamp))
        {
            errors.Add(new(index, fieldPrefix + "context.timestamp",
                $"'{JsonText.Quote(timestampText)}' is not an RFC 3339 timestamp (expected for example 2026-03-20T14:27:05.315Z)"));
        }

        string? subjectId = null;
        if (!cdEvent.TryGetProperty("subject", out var subject))
        {
            errors.Add(new(index, fieldPrefix + "subject", "missing; a CDEvent needs a subject object with an id"));
        }
        else if (subject.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(index, fieldPrefix + "subject", $"expected an object, found {Describe(subject)}"));
        }
        else
        {
            subjectId = RequiredString(subject, "id", index, fieldPrefix + "subject.", errors, InputLimits.MaxSubjectIdBytes);
            OptionalString(subject, "type", index, fieldPrefix + "subject.", errors);
            OptionalString(subject, "source", index, fieldPrefix + "subject.", errors);
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new EventDraft(source!, id!, type!, subjectId, timestamp, specVersion, CdEventVocabulary.IsMapped(type!), origin, payload, envelope);
    }

    private static string? SpecVersion(JsonElement context, int? index, string fieldPrefix, List<IntakeError> errors)
    {
        var hasSpecVersion = context.TryGetProperty("specversion", out _);
        var hasVersion = context.TryGetProperty("version", out _);
        if (!hasSpecVersion && !hasVersion)
        {
            errors.Add(new(index, fieldPrefix + "context.specversion",
                "missing; expected context.specversion (CDEvents 0.5 and later) or context.version (0.3, 0.4)"));
            return null;
        }

        return RequiredString(context, hasSpecVersion ? "specversion" : "version", index, fieldPrefix + "context.", errors, InputLimits.MaxSpecVersionBytes);
    }

    /// <summary>A non-empty string, within <paramref name="maxBytes"/> and free of control characters when it is kept in a column (<see cref="InputLimits"/>).</summary>
    private static string? RequiredString(JsonElement parent, string name, int? index, string prefix, List<IntakeError> errors, int? maxBytes = null)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            errors.Add(new(index, prefix + name, "missing; a non-empty string is required"));
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(index, prefix + name, $"expected a string, found {Describe(value)}"));
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(index, prefix + name, "is empty; a non-empty string is required"));
            return null;
        }

        if (maxBytes is { } limit && InputLimits.Check(text, limit) is { } beyond)
        {
            errors.Add(new(index, prefix + name, beyond));
            return null;
        }

        return text;
    }

    private static void OptionalString(JsonElement parent, string name, int? index, string prefix, List<IntakeError> errors)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            errors.Add(new(index, prefix + name, $"expected a string, found {Describe(value)}"));
        }
    }

    /// <summary>Names a JSON value's kind for an error message.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {JsonText.Quote(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}

using System.Globalization;
using System.Text.Json;

namespace Throughline.Intake;

/// <summary>Reads of JSON that Throughline did not write: a missing property, a null or a value of the wrong kind reads as absent, never throws.</summary>
/// <remarks>
/// <para>Two strengths. <see cref="Property"/>, <see cref="String"/> and <see cref="Strings"/> read stored CDEvents as
/// written (the timeline's facts): exact property names, strings only and verbatim (an empty string is a string).</para>
/// <para><see cref="At"/>, <see cref="Text"/>, <see cref="Flag"/>, <see cref="Number"/>, <see cref="Items"/> and
/// <see cref="Time"/> forgive what tools send in webhooks: a property is also found when the sender padded its name
/// with spaces (one GitLab example does), text is trimmed and blank text is absent, numbers and booleans read as text,
/// and <c>"true"</c> or <c>"42"</c> as a flag or a number.</para>
/// </remarks>
internal static class TolerantJson
{
    /// <summary>The property <paramref name="name"/> (exact), or an undefined element when absent or when <paramref name="element"/> is not an object.</summary>
    public static JsonElement Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The string at <paramref name="path"/> (exact names), verbatim; null when any step is missing or the value is not a string.</summary>
    public static string? String(this JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            element = element.Property(name);
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    /// <summary>The strings of the array <paramref name="name"/> (other items skipped); null when it is not an array.</summary>
    public static IReadOnlyList<string>? Strings(this JsonElement element, string name) =>
        element.Property(name) is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : null;

    /// <summary>The value at <paramref name="path"/> (names as a tool may pad them), or null when any step is missing or the value is null.</summary>
    public static JsonElement? At(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!current.TryGetProperty(name, out var next) && !TryGetPadded(current, name, out next))
            {
                return null;
            }

            current = next;
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    /// <summary>A string (trimmed), or a number or boolean as text, at <paramref name="path"/>; null when absent or empty.</summary>
    public static string? Text(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString() is { Length: > 0 } text ? text.Trim() : null,
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    /// <summary>A boolean at <paramref name="path"/> (also <c>"true"</c> as text); null when absent.</summary>
    public static bool? Flag(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } value when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A whole number at <paramref name="path"/>; null when absent or not a whole number.</summary>
    public static long? Number(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    /// <summary>The items of an array at <paramref name="path"/>; empty when absent.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, params ReadOnlySpan<string> path) =>
        element.At(path) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A time at <paramref name="path"/> in any format tools write (<see cref="Timestamps.TryParse(JsonElement?, out DateTimeOffset)"/>); null when absent or unreadable.</summary>
    public static DateTimeOffset? Time(this JsonElement element, params ReadOnlySpan<string> path) =>
        Timestamps.TryParse(element.At(path), out var time) ? time : null;

    private static bool TryGetPadded(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Trim() == name)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

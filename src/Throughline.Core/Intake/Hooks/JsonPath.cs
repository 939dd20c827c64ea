using System.Globalization;
using System.Text.Json;

namespace Throughline.Intake.Hooks;

/// <summary>Tolerant reads from webhook bodies: a missing field, a null or a wrong type reads as absent, never throws.</summary>
/// <remarks>A property is also found when the sender padded its name with spaces (one GitLab example does).</remarks>
internal static class JsonPath
{
    /// <summary>The value at <paramref name="path"/> (property names), or null when any step is missing.</summary>
    public static JsonElement? At(this JsonElement element, params string[] path)
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

    /// <summary>A string (or a number or boolean as text) at <paramref name="path"/>; null when absent or empty.</summary>
    public static string? Text(this JsonElement element, params string[] path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString() is { Length: > 0 } text ? text.Trim() : null,
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    /// <summary>A boolean at <paramref name="path"/> (also <c>"true"</c> as text); null when absent.</summary>
    public static bool? Flag(this JsonElement element, params string[] path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } value when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A whole number at <paramref name="path"/>; null when absent or not a whole number.</summary>
    public static long? Number(this JsonElement element, params string[] path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    /// <summary>The items of an array at <paramref name="path"/>; empty when absent.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, params string[] path) =>
        element.At(path) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A time at <paramref name="path"/> in any format <see cref="HookTime"/> reads; null when absent or unreadable.</summary>
    public static DateTimeOffset? Time(this JsonElement element, params string[] path) =>
        HookTime.TryParse(element.At(path), out var time) ? time : null;

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

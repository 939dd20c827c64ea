using System.Text.Json;

namespace Throughline.Intake.Hooks;

/// <summary>Where one kind of tool puts its own id for a delivery: a body field, then headers, the first present winning.</summary>
/// <param name="BodyPath">The property names leading to the id in the body; empty when the body holds none.</param>
/// <param name="HeaderNames">The headers that may hold it, in the order tried, as the tool's documentation writes them.</param>
/// <remarks>The first source present wins even when its value is blank (the delivery then counts as sending none).</remarks>
internal sealed record DeliveryIdSource(IReadOnlyList<string> BodyPath, IReadOnlyList<string> HeaderNames)
{
    /// <summary>The tool sends no id: the delivery is known by the hash of its body.</summary>
    public static DeliveryIdSource BodyHash { get; } = new([], []);

    /// <summary>The id is in the first of <paramref name="names"/> present.</summary>
    public static DeliveryIdSource Headers(params string[] names) => new([], names);

    /// <summary>The id is at <paramref name="path"/> in the body, else in the first of <paramref name="thenHeaders"/> present.</summary>
    public static DeliveryIdSource Body(IReadOnlyList<string> path, params string[] thenHeaders) => new(path, thenHeaders);

    /// <summary>The tool's own id for the delivery, or null when it sends none.</summary>
    /// <param name="headers">The delivery's headers, names in lowercase.</param>
    /// <param name="text">The body.</param>
    public string? Find(IReadOnlyDictionary<string, string> headers, string text)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var found = BodyPath.Count > 0 ? FromBody(text) : null;
        foreach (var name in HeaderNames)
        {
            found ??= headers.GetValueOrDefault(name.ToLowerInvariant());
        }

        return found;
    }

    private string? FromBody(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Text([.. BodyPath]) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

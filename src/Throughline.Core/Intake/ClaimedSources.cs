using System.Text.Json;
using Throughline.Storage;

namespace Throughline.Intake;

/// <summary>Every source an event claims: the CDEvent's <c>context.source</c> and, when it came in a CloudEvents envelope
/// (structured, batch or binary mode), the envelope's <c>source</c>. Access rules check them all, so an envelope cannot
/// claim what the CDEvent may not.</summary>
public static class ClaimedSources
{
    public static IReadOnlyList<string> Of(EventDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Envelope is null)
        {
            return [draft.Source];
        }

        try
        {
            using var envelope = JsonDocument.Parse(draft.Envelope);
            return envelope.RootElement.ValueKind == JsonValueKind.Object
                && envelope.RootElement.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String
                && source.GetString() is { } claimed && claimed != draft.Source
                ? [draft.Source, claimed]
                : [draft.Source];
        }
        catch (JsonException)
        {
            return [draft.Source];
        }
    }
}

using Throughline.Storage;

namespace Throughline.Access;

/// <summary>The kinds of line the audit log holds (its <c>action</c> column).</summary>
public static class AuditActions
{
    public const string TokenCreated = "token.created";
    public const string TokenRevoked = "token.revoked";
    public const string SignedIn = "sign-in";
    public const string SignInRefused = "sign-in.refused";
    public const string SignedOut = "sign-out";
    public const string RequestRefused = "request.refused";
    public const string RefusalsHeldBack = "request.refused.more";
    public const string ModelReloaded = "model.reloaded";
    public const string ModelRefused = "model.refused";

    /// <summary>The outcome of an action that was carried out.</summary>
    public const string Done = "done";

    /// <summary>Who a refused webhook delivery is audited as: <c>webhook sender of TOOL</c>.</summary>
    public static string WebhookSender(string toolId) => WebhookSenderPrefix + toolId;

    /// <summary>What a <see cref="RefusalsHeldBack"/> line says: how many more requests the caller had refused that minute.</summary>
    public static string HeldBack(int count) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count} more refused requests");

    /// <summary>
    /// The webhook tool whose deliveries <paramref name="entry"/> refused and how many (1 for a refusal, the count for a held-back
    /// line); null when the line is not about refused webhook deliveries.
    /// </summary>
    public static (string Tool, int Count)? RefusedDeliveries(AuditDraft entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.Actor.StartsWith(WebhookSenderPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var tool = entry.Actor[WebhookSenderPrefix.Length..];
        return entry.Action switch
        {
            RequestRefused => (tool, 1),
            RefusalsHeldBack when int.TryParse(entry.What.AsSpan(0, Math.Max(0, entry.What.IndexOf(' ', StringComparison.Ordinal))),
                System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) => (tool, count),
            _ => null,
        };
    }

    private const string WebhookSenderPrefix = "webhook sender of ";
}

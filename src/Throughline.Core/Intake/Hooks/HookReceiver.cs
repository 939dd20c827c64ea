using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Intake.Hooks;

/// <summary>A verified delivery ready to store: the raw delivery and its translation.</summary>
public sealed record ReceivedHook(DeliveryDraft Delivery, HookTranslation Translation);

/// <summary>Turns one HTTP delivery into what is stored: verified, identified, kept verbatim and translated.</summary>
public static class HookReceiver
{
    /// <summary>Headers never kept, because they hold credentials.</summary>
    private static readonly HashSet<string> Secrets = new(StringComparer.Ordinal) { "authorization", "x-gitlab-token", "cookie" };

    /// <summary>Verifies and reads a delivery; <paramref name="verification"/> says why when the result is null.</summary>
    public static ReceivedHook? Receive(
        Tool tool, OperatingModel? model, IReadOnlyDictionary<string, string> headers, string? queryToken, ReadOnlyMemory<byte> body,
        DateTimeOffset receivedAt, out HookVerification verification)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(headers);
        verification = HookVerifier.Verify(tool, headers, queryToken, body.Span);
        if (verification.Verdict != HookVerdict.Authentic)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body.Span);
        var kept = KeptHeaders(headers);
        var delivery = new DeliveryDraft(tool.Id, DeliveryId(tool.Kind, headers, text, body.Span), HookTranslator.KindName(tool.Kind), receivedAt, Serialize(kept), text);
        return new ReceivedHook(delivery, HookTranslator.Translate(ToMessage(tool, model, delivery, kept)));
    }

    /// <summary>The message a stored delivery is translated from (by replay).</summary>
    public static HookMessage ToMessage(Tool tool, OperatingModel? model, DeliveryDraft delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(delivery.Headers) ?? [];
        return ToMessage(tool, model, delivery, headers);
    }

    /// <summary>The tool's own delivery id, or <c>sha256:HEX</c> of the body when it sends none (a repeated body is then a re-delivery).</summary>
    public static string DeliveryId(ToolKind kind, IReadOnlyDictionary<string, string> headers, string text, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var fromTool = kind switch
        {
            ToolKind.GitHub => headers.GetValueOrDefault("x-github-delivery"),
            ToolKind.GitLab => headers.GetValueOrDefault("idempotency-key") ?? headers.GetValueOrDefault("x-gitlab-event-uuid"),
            ToolKind.PagerDuty => PagerDutyEventId(text) ?? headers.GetValueOrDefault("x-webhook-id"),
            ToolKind.Jira => headers.GetValueOrDefault("x-atlassian-webhook-identifier"),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(fromTool) ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)) : fromTool.Trim();
    }

    private static HookMessage ToMessage(Tool tool, OperatingModel? model, DeliveryDraft delivery, IReadOnlyDictionary<string, string> headers) =>
        new(tool, model, delivery.DeliveryId, headers, delivery.Body, delivery.ReceivedAt);

    private static SortedDictionary<string, string> KeptHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (!Secrets.Contains(lower) && (lower.StartsWith("x-", StringComparison.Ordinal) || lower is "content-type" or "user-agent" or "idempotency-key"))
            {
                kept[lower] = value;
            }
        }

        return kept;
    }

    private static string Serialize(SortedDictionary<string, string> headers)
    {
        var json = new JsonObject();
        foreach (var (name, value) in headers)
        {
            json[name] = value;
        }

        return json.ToJsonString();
    }

    private static string? PagerDutyEventId(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Text("event", "id") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

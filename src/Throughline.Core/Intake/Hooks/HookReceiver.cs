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
    /// <summary>Verifies and reads a delivery; <paramref name="verification"/> says why when the result is null (not authentic,
    /// or authentic but not Unicode text: <see cref="HookVerdict.NotText"/>).</summary>
    /// <param name="tool">The tool it was sent to.</param>
    /// <param name="model">The operating model, if any.</param>
    /// <param name="headers">Its headers, names in lowercase.</param>
    /// <param name="queryToken">The <c>token</c> query parameter, if any.</param>
    /// <param name="body">The raw body.</param>
    /// <param name="receivedAt">When it arrived.</param>
    /// <param name="verification">The verdict.</param>
    /// <param name="kinds">The table of tool kinds; <see cref="ToolKinds.Builtin"/> when null.</param>
    public static ReceivedHook? Receive(
        Tool tool, OperatingModel? model, IReadOnlyDictionary<string, string> headers, string? queryToken, ReadOnlyMemory<byte> body,
        DateTimeOffset receivedAt, out HookVerification verification, ToolKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(headers);
        kinds ??= ToolKinds.Builtin;
        verification = HookVerifier.Verify(tool, headers, queryToken, body.Span, kinds);
        if (verification.Verdict == HookVerdict.Authentic && NotText(body.Span) is { } notText)
        {
            verification = notText;
        }

        if (verification.Verdict != HookVerdict.Authentic)
        {
            return null;
        }

        // The time as the store keeps it (to the microsecond): events that take it carry the value replay reads back, so
        // replaying a delivery translates it to the same bytes.
        receivedAt = SqlEventStore.FromMicroseconds(SqlEventStore.ToMicroseconds(receivedAt));
        var text = Encoding.UTF8.GetString(body.Span);
        var kept = KeptHeaders(headers, kinds);
        var delivery = new DeliveryDraft(tool.Id, DeliveryId(kinds[tool.Kind], headers, text, body.Span), tool.Kind.Name, receivedAt, Serialize(kept), body.ToArray());
        return new ReceivedHook(delivery, HookTranslator.Translate(ToMessage(tool, model, delivery, kept), kinds));
    }

    /// <summary>The message a stored delivery is translated from (by replay).</summary>
    public static HookMessage ToMessage(Tool tool, OperatingModel? model, DeliveryDraft delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(delivery.Headers) ?? [];
        return ToMessage(tool, model, delivery, headers);
    }

    /// <summary>The tool's own delivery id, or <c>sha256:HEX</c> of the body when it sends none (a repeated body is then a re-delivery).</summary>
    /// <remarks>An id no engine may store (longer than <see cref="InputLimits.MaxDeliveryIdBytes"/>, or holding a control
    /// character) counts as none: the delivery is kept, known by its body.</remarks>
    internal static string DeliveryId(ToolKindEntry kind, IReadOnlyDictionary<string, string> headers, string text, ReadOnlySpan<byte> body)
    {
        var fromTool = kind.DeliveryId.Find(headers, text)?.Trim();
        return string.IsNullOrEmpty(fromTool) || InputLimits.Check(fromTool, InputLimits.MaxDeliveryIdBytes) is not null
            ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body))
            : fromTool;
    }

    /// <summary>Why an authentic body is refused (JSON holding a string escape that is not Unicode text, such as a lone
    /// surrogate), or null when it is text.</summary>
    /// <remarks>A body that is not JSON, or whose bytes are not UTF-8, is kept byte for byte (nothing a tool sent is lost):
    /// it is stored and reported as unmapped with the reason.</remarks>
    private static HookVerification? NotText(ReadOnlySpan<byte> body)
    {
        if (EventBatchReader.FindInvalidUtf8(body) >= 0)
        {
            return null;
        }

        return JsonText.Check(body.StartsWith(Encoding.UTF8.Preamble) ? body[Encoding.UTF8.Preamble.Length..] : body, refuseDuplicateNames: false) is
        { Fault: JsonTextFault.Unicode } problem
            ? new(HookVerdict.NotText, problem.Reason, problem.Path)
            : null;
    }

    private static HookMessage ToMessage(Tool tool, OperatingModel? model, DeliveryDraft delivery, IReadOnlyDictionary<string, string> headers) =>
        new(tool, model, delivery.DeliveryId, headers, delivery.Text, delivery.ReceivedAt);

    /// <summary>The headers stored with a delivery: the tools' own (<c>X-*</c>), delivery ids and content type and agent, never one that holds a credential.</summary>
    private static SortedDictionary<string, string> KeptHeaders(IReadOnlyDictionary<string, string> headers, ToolKinds kinds)
    {
        var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (!kinds.SecretHeaders.Contains(lower)
                && (lower.StartsWith("x-", StringComparison.Ordinal) || lower is "content-type" or "user-agent" || kinds.DeliveryIdHeaders.Contains(lower)))
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
}

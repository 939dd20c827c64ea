using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Storage;

namespace Throughline.Intake.Hooks;

/// <summary>Turns a tool's webhook delivery into CDEvents, with the translator its tool kind has in <see cref="ToolKinds"/>.</summary>
/// <remarks>
/// <para>Pure and deterministic: the same delivery, model and adapters always give the same events, byte for byte, so a
/// replay of stored deliveries is idempotent. Translated events have <c>context.source</c> <c>/hooks/{tool}</c> and
/// <c>context.id</c> <c>{deliveryId}/{n}</c> (n from 1, in the order the adapter writes them), except an event whose
/// object the tool identifies and which may also arrive through an export (a GitHub deployment status:
/// <c>deployment-status/OWNER/NAME/ID</c>), so that it is stored once however it arrives.</para>
/// <para>A delivery that does not translate (an event kind or action the adapter does not know, a body that is not
/// JSON or not Unicode text, a translated event with a field no engine may store: <see cref="InputLimits"/>, a value the adapter computes with out of range) gives one placeholder of type <see cref="UnmappedType"/> with id <c>{deliveryId}/unmapped</c>: stored,
/// reported as unmapped, and replaced when a later adapter translates it.</para>
/// </remarks>
public static class HookTranslator
{
    /// <summary>The CDEvents specification version written into generated events.</summary>
    public const string SpecVersion = WrittenEvents.SpecVersion;

    /// <summary>The custom type of the placeholder stored for a delivery that did not translate (never mapped).</summary>
    public const string UnmappedType = "dev.cdeventsx.throughline-delivery.unmapped.0.1.0";

    private static readonly Dictionary<string, string> TypeVersions = new(StringComparer.Ordinal)
    {
        ["branch.created"] = "0.3.0",
        ["branch.deleted"] = "0.3.0",
        ["change.created"] = "0.4.0",
        ["change.updated"] = "0.3.0",
        ["change.reviewed"] = "0.3.0",
        ["change.merged"] = "0.3.0",
        ["change.abandoned"] = "0.3.0",
        ["pipelinerun.queued"] = "0.3.0",
        ["pipelinerun.started"] = "0.3.0",
        ["pipelinerun.finished"] = "0.3.0",
        ["taskrun.started"] = "0.3.0",
        ["taskrun.finished"] = "0.3.0",
        ["build.queued"] = "0.3.0",
        ["build.started"] = "0.3.0",
        ["build.finished"] = "0.3.0",
        ["testcaserun.queued"] = "0.3.0",
        ["testcaserun.started"] = "0.3.0",
        ["testcaserun.finished"] = "0.3.0",
        ["service.deployed"] = "0.3.0",
        ["service.upgraded"] = "0.3.0",
        ["service.rolledback"] = "0.3.0",
        ["incident.detected"] = "0.3.0",
        ["incident.resolved"] = "0.3.0",
        ["ticket.created"] = "0.2.0",
        ["ticket.updated"] = "0.2.0",
        ["ticket.closed"] = "0.2.0",
    };

    /// <summary>The full CDEvents type for a short one: standard types as <c>dev.cdevents.*</c>, Throughline's own as <c>dev.cdeventsx.*</c>.</summary>
    public static string FullType(string shortType) =>
        TypeVersions.TryGetValue(shortType, out var version)
            ? $"{CdEventVocabulary.StandardPrefix}{shortType}.{version}"
            : $"{CdEventVocabulary.CustomPrefix}{shortType}.0.1.0";

    /// <summary>The <c>context.source</c> of events translated from <paramref name="toolId"/>'s deliveries.</summary>
    public static string SourceOf(string toolId) => "/hooks/" + toolId;

    /// <summary>Whether <paramref name="source"/> claims to be a webhook adapter's (<c>/hooks/...</c>): only the hooks write those,
    /// after checking the tool's signature, so <c>POST /api/events</c> refuses them.</summary>
    public static bool ClaimsHook(string source) => source == "/hooks" || source.StartsWith("/hooks/", StringComparison.Ordinal);

    /// <summary>The <c>origin</c> recorded on them.</summary>
    public static string OriginOf(string toolId) => "hook:" + toolId;

    /// <summary>Translates <paramref name="message"/> with the translator of its tool's kind.</summary>
    /// <param name="message">The delivery.</param>
    /// <param name="kinds">The table of tool kinds; <see cref="ToolKinds.Builtin"/> when null.</param>
    public static HookTranslation Translate(HookMessage message, ToolKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (kinds ?? ToolKinds.Builtin)[message.Tool.Kind].Translate(message);
    }

    /// <summary>Translates a webhook whose body is a JSON object: <paramref name="adapt"/> reads it and writes the events.</summary>
    internal static HookTranslation Translate(HookMessage message, Action<HookContext> adapt)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message.Body);
        }
        catch (JsonException exception)
        {
            return Unmapped(message, "unknown", $"the body is not JSON ({exception.Message})");
        }

        using (document)
        {
            var context = new HookContext(message.Tool, message.Model, message.Headers, document.RootElement, message.ReceivedAt);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Unmapped(message, "unknown", "the body is not a JSON object");
            }

            // Refused at the door since, but a delivery stored before may hold one: adapters read strings that must decode.
            if (JsonText.Check(message.Body) is { Fault: JsonTextFault.Unicode } notText)
            {
                return Unmapped(message, "unknown", $"the body is not Unicode text: {notText}");
            }

            try
            {
                adapt(context);
            }
            catch (Exception exception) when (exception is ArgumentOutOfRangeException or OverflowException)
            {
                // A value the adapter computes with (a start plus a duration, a count) beyond what .NET represents must not
                // lose the delivery (a 500 stores nothing): it is stored as unmapped with the reason, and replay translates it
                // again once an adapter reads it.
                return Unmapped(message, context.Event, $"a value in the delivery is out of range ({exception.Message})");
            }

            if (context.Events.Count == 0)
            {
                return Unmapped(message, context.Event, context.UnmappedReason ?? $"{message.Tool.Kind.Name} event '{JsonText.Quote(context.Event)}' is not translated");
            }

            var drafts = new List<EventDraft>(context.Events.Count);
            foreach (var generated in context.Events)
            {
                var errors = new List<IntakeError>();
                if (Write(message, generated, drafts.Count + 1, errors) is not { } draft)
                {
                    // A value the tool sent breaks a limit every engine needs (InputLimits): the delivery is kept, unmapped, with the reason.
                    return Unmapped(message, context.Event,
                        $"translated event {drafts.Count + 1} ({generated.Type}) cannot be stored: {string.Join("; ", errors.Take(5))}");
                }

                drafts.Add(draft);
            }

            return new HookTranslation(context.Event, drafts, null);
        }
    }

    /// <summary>Reads a body that already holds CDEvents (the <c>cdevents</c> kind), in any form <see cref="EventBatchReader"/> reads.</summary>
    internal static HookTranslation ReadCdEvents(HookMessage message)
    {
        var batch = EventBatchReader.Read(
            Encoding.UTF8.GetBytes(message.Body), message.Headers.GetValueOrDefault("content-type"), new Dictionary<string, string>(), OriginOf(message.Tool.Id));
        if (!batch.IsValid || batch.Events.Count == 0)
        {
            var reason = batch.IsValid ? "the body holds no CDEvent" : string.Join("; ", batch.Errors.Take(5));
            return Unmapped(message, "cdevents", reason);
        }

        return new HookTranslation("cdevents", batch.Events, null);
    }

    private static EventDraft? Write(HookMessage message, GeneratedEvent generated, int number, List<IntakeError> errors) =>
        WrittenEvents.Read(
            WrittenEvents.Compose(SourceOf(message.Tool.Id), generated.Id ?? $"{message.DeliveryId}/{number}", FullType(generated.Type), generated.Timestamp,
                generated.SubjectId, SourceOf(message.Tool.Id), generated.Content, generated.Data),
            OriginOf(message.Tool.Id), errors);

    /// <summary>Longest reason kept for an unmapped delivery: adapters name values the tool sent in their reasons.</summary>
    private const int MaxReason = 1000;

    private static HookTranslation Unmapped(HookMessage message, string eventName, string reason)
    {
        reason = reason.Length <= MaxReason ? reason : $"{reason[..MaxReason]}... ({reason.Length} characters)";
        var placeholder = WrittenEvents.Compose(
            SourceOf(message.Tool.Id), $"{message.DeliveryId}/unmapped", UnmappedType, message.ReceivedAt, message.DeliveryId, null,
            new JsonObject
            {
                ["tool"] = message.Tool.Id,
                ["kind"] = message.Tool.Kind.Name,
                ["event"] = eventName,
                ["reason"] = reason,
            },
            null);
        return new HookTranslation(eventName, [ToDraft(message, placeholder)], reason);
    }

    /// <summary>The placeholder's fields are Throughline's own (tool id, delivery id within its limit): one that is invalid is a bug.</summary>
    private static EventDraft ToDraft(HookMessage message, JsonObject cdEvent)
    {
        var errors = new List<IntakeError>();
        return WrittenEvents.Read(cdEvent, OriginOf(message.Tool.Id), errors) ?? throw new InvalidOperationException($"A generated CDEvent is invalid: {string.Join("; ", errors)}");
    }
}

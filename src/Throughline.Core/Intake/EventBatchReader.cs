using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Throughline.Storage;

namespace Throughline.Intake;

/// <summary>Reads a request body of CDEvents in any of the accepted shapes into one all-or-nothing batch.</summary>
/// <remarks>
/// <para>Shapes: one CDEvent object or a JSON array of them (<c>application/json</c>); CloudEvents structured
/// mode (<c>application/cloudevents+json</c>, the CDEvent in <c>data</c>); CloudEvents batch mode
/// (<c>application/cloudevents-batch+json</c>); CloudEvents binary mode (<c>ce-*</c> headers, the CDEvent
/// as the body). A CloudEvents envelope inside a plain JSON body is recognised too.</para>
/// <para>Every item is checked before any is accepted; one bad item refuses the whole request.</para>
/// <para>The JSON of each item is read strictly (<see cref="JsonText"/>): every string and key must be Unicode text (no
/// <c>\uD800</c> without its pair, which would break every reader of the stored payload), and no object may name a key
/// twice (readers disagree on which one counts). The body must be UTF-8, nested at most <see cref="MaxDepth"/> levels.</para>
/// </remarks>
public static class EventBatchReader
{
    /// <summary>Deepest JSON nesting accepted; CDEvents need far less, and the limit bounds parser work.</summary>
    public const int MaxDepth = JsonText.MaxDepth;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Reads <paramref name="body"/>.</summary>
    /// <param name="body">The raw request body.</param>
    /// <param name="contentType">The request's Content-Type, or null.</param>
    /// <param name="cloudEventHeaders">The request's <c>ce-*</c> headers (names lower case, without the prefix); empty when absent.</param>
    /// <param name="origin">Recorded on each event (<c>api</c>, <c>cli</c>).</param>
    public static EventBatch Read(ReadOnlyMemory<byte> body, string? contentType, IReadOnlyDictionary<string, string> cloudEventHeaders, string origin)
    {
        ArgumentNullException.ThrowIfNull(cloudEventHeaders);
        var mediaType = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is "application/x-ndjson" or "application/jsonl" or "application/jsonlines")
        {
            return ReadLines(body, origin);
        }

        if (!TryParse(body, out var document, out var problem))
        {
            return EventBatch.Refused(problem!);
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = new List<IntakeError>();
            var events = new List<EventDraft>();
            if (cloudEventHeaders.ContainsKey("specversion"))
            {
                var envelope = JsonSerializer.Serialize(cloudEventHeaders);
                CheckBinaryHeaders(cloudEventHeaders, errors);
                if (IsStrict(root, null, errors))
                {
                    Add(CdEventReader.Read(root, WholeBody(body), null, origin, envelope, errors), events);
                }
            }
            else if (mediaType == "application/cloudevents+json")
            {
                Add(ReadCloudEvent(root, null, origin, errors, WholeBody(body)), events);
            }
            else if (mediaType == "application/cloudevents-batch+json")
            {
                if (root.ValueKind != JsonValueKind.Array)
                {
                    return EventBatch.Refused(new(null, "", $"a CloudEvents batch must be a JSON array, found {CdEventReader.Describe(root)}"));
                }

                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    Add(ReadCloudEvent(item, index++, origin, errors), events);
                }
            }
            else if (root.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in root.EnumerateArray())
                {
                    Add(ReadItem(item, index++, origin, errors), events);
                }
            }
            else
            {
                Add(ReadItem(root, null, origin, errors, WholeBody(body)), events);
            }

            if (errors.Count == 0 && events.Count == 0)
            {
                errors.Add(new(null, "", "the body holds no events (an empty array)"));
            }

            return errors.Count > 0 ? new EventBatch([], errors) : new EventBatch(events, []);
        }
    }

    /// <summary>Reads JSON lines: one CDEvent (or CloudEvent) per line; blank lines are ignored, items count from 0.</summary>
    private static EventBatch ReadLines(ReadOnlyMemory<byte> body, string origin)
    {
        var errors = new List<IntakeError>();
        var events = new List<EventDraft>();
        var index = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            if (!TryParse(line, out var document, out var problem))
            {
                errors.Add(problem! with { Index = index++, Reason = problem!.Reason.Replace("the body is", "the line is", StringComparison.Ordinal) });
                continue;
            }

            using (document)
            {
                Add(ReadItem(document!.RootElement, index++, origin, errors), events);
            }
        }

        if (errors.Count == 0 && events.Count == 0)
        {
            errors.Add(new(null, "", "the body holds no events (no JSON lines)"));
        }

        return errors.Count > 0 ? new EventBatch([], errors) : new EventBatch(events, []);
    }

    /// <summary>Reads one item of a plain JSON body: a CDEvent, or a CloudEvent carrying one.</summary>
    /// <param name="item">The item.</param>
    /// <param name="index">Its position in the request, for error messages.</param>
    /// <param name="origin">How it arrived.</param>
    /// <param name="errors">Receives every problem found.</param>
    /// <param name="payload">The text to store; by default the item's own JSON text.</param>
    public static EventDraft? ReadItem(JsonElement item, int? index, string origin, List<IntakeError> errors, string? payload = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!IsStrict(item, index, errors))
        {
            return null;
        }

        return IsCloudEvent(item)
            ? ReadCloudEvent(item, index, origin, errors, payload, alreadyChecked: true)
            : CdEventReader.Read(item, payload ?? item.GetRawText(), index, origin, null, errors);
    }

    /// <summary>True when the item's JSON is strict (<see cref="JsonText"/> with no repeated keys); otherwise adds the problem, naming the field.</summary>
    private static bool IsStrict(JsonElement item, int? index, List<IntakeError> errors)
    {
        if (JsonText.Check(JsonMarshal.GetRawUtf8Value(item), refuseDuplicateNames: true) is not { } problem)
        {
            return true;
        }

        errors.Add(new(index, problem.Path, problem.Reason));
        return false;
    }

    /// <summary>A request holding one event is kept whole, surrounding whitespace included, so it reads back byte for byte.</summary>
    private static string WholeBody(ReadOnlyMemory<byte> body)
    {
        var bytes = body.Span;
        return Encoding.UTF8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
    }

    /// <summary>Parses <paramref name="body"/> as UTF-8 JSON within the depth limit; the problem names the byte at fault.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out JsonDocument? document, out IntakeError? problem)
    {
        document = null;
        problem = null;
        var bytes = body.Span;
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
            bytes = body.Span;
        }

        if (bytes.IsEmpty)
        {
            problem = new(null, "", "the body is empty; send a CDEvent, a JSON array of CDEvents, or CloudEvents");
            return false;
        }

        var invalidAt = FindInvalidUtf8(bytes);
        if (invalidAt >= 0)
        {
            problem = new(null, "", $"the body is not valid UTF-8 (first invalid byte at offset {invalidAt})");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
            return true;
        }
        catch (JsonException exception)
        {
            var hint = exception.Message.Contains("after a single JSON value", StringComparison.Ordinal)
                ? " (several JSON values: send them as a JSON array, or as JSON lines with Content-Type application/x-ndjson)"
                : "";
            problem = new(null, "", $"the body is not valid JSON: {exception.Message}{hint}");
            return false;
        }
    }

    private static bool IsCloudEvent(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object
        && item.TryGetProperty("specversion", out _)
        && !item.TryGetProperty("context", out _);

    private static EventDraft? ReadCloudEvent(JsonElement item, int? index, string origin, List<IntakeError> errors, string? payload = null, bool alreadyChecked = false)
    {
        if (!alreadyChecked && !IsStrict(item, index, errors))
        {
            return null;
        }

        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(index, "", $"expected a CloudEvent object, found {CdEventReader.Describe(item)}"));
            return null;
        }

        var before = errors.Count;
        foreach (var attribute in new[] { "specversion", "id", "source", "type" })
        {
            if (!item.TryGetProperty(attribute, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            {
                errors.Add(new(index, attribute, "missing or not a string; a CloudEvent requires specversion, id, source and type"));
            }
        }

        if (!item.TryGetProperty("data", out var data))
        {
            errors.Add(new(index, "data", "missing; the CDEvent travels in the CloudEvent's data"));
            return null;
        }

        var draft = CdEventReader.Read(data, payload ?? item.GetRawText(), index, origin, null, errors, "data.");
        return errors.Count > before ? null : draft;
    }

    private static void CheckBinaryHeaders(IReadOnlyDictionary<string, string> headers, List<IntakeError> errors)
    {
        foreach (var attribute in new[] { "id", "source", "type" })
        {
            if (!headers.TryGetValue(attribute, out var value) || value.Length == 0)
            {
                errors.Add(new(null, "ce-" + attribute, "missing header; CloudEvents binary mode requires ce-specversion, ce-id, ce-source and ce-type"));
            }
        }
    }

    private static void Add(EventDraft? draft, List<EventDraft> events)
    {
        if (draft is not null)
        {
            events.Add(draft);
        }
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or -1 when every byte is.</summary>
    public static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }
}

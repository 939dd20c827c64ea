using System.Text;

namespace Throughline.Storage;

/// <summary>A webhook delivery as a tool sent it, ready to be stored before it is acknowledged.</summary>
/// <remarks>
/// <see cref="ToolId"/> and <see cref="DeliveryId"/> identify the delivery: a second delivery with the same pair is a
/// re-delivery and changes nothing. <see cref="Body"/> is the request body exactly as received, byte for byte, whether or
/// not it is UTF-8 (a tool may send anything; nothing it sent is lost); <see cref="Text"/> is what adapters read.
/// <see cref="Headers"/> holds only the headers that matter for reading it again, never credentials.
/// </remarks>
/// <param name="ToolId">The tool id from the operating model (<c>POST /hooks/{ToolId}</c>).</param>
/// <param name="DeliveryId">The tool's delivery id (for example <c>X-GitHub-Delivery</c>), or <c>sha256:HEX</c> of the body when the tool sends none.</param>
/// <param name="Kind">The tool's kind when received, in lowercase (<c>github</c>); replay uses it when the tool has left the model.</param>
/// <param name="ReceivedAt">When Throughline received it (UTC).</param>
/// <param name="Headers">The kept headers as a JSON object, names in lowercase.</param>
/// <param name="Body">The body, verbatim: the bytes received.</param>
public sealed record DeliveryDraft(string ToolId, string DeliveryId, string Kind, DateTimeOffset ReceivedAt, string Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The body decoded as UTF-8, bytes that are not UTF-8 read as U+FFFD: what the adapters translate (translated
    /// events are derived data; the bytes in <see cref="Body"/> are the record).</summary>
    public string Text => Encoding.UTF8.GetString(Body.Span);
}

/// <summary>A delivery as stored, with its position in the store.</summary>
/// <param name="Sequence">Position among deliveries; higher is received later.</param>
/// <param name="Delivery">What was stored.</param>
public sealed record StoredDelivery(long Sequence, DeliveryDraft Delivery);

/// <summary>What happened to a delivery handed to <see cref="IEventStore.AppendDeliveryAsync"/>.</summary>
/// <param name="Duplicate">True when the delivery was already held: nothing was stored.</param>
/// <param name="Sequence">The delivery's sequence when newly stored; null for a duplicate.</param>
/// <param name="Accepted">Events newly stored.</param>
public sealed record DeliveryResult(bool Duplicate, long? Sequence, int Accepted);

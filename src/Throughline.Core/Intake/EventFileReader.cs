using System.Runtime.CompilerServices;
using System.Text.Json;
using Throughline.Storage;

namespace Throughline.Intake;

/// <summary>One event read from a file, or the reason an item of it was refused.</summary>
/// <param name="Index">Zero-based position of the item in its file.</param>
/// <param name="Event">The event, when the item is valid.</param>
/// <param name="Errors">Why the item was refused; empty when it is valid.</param>
public sealed record FileItem(int Index, EventDraft? Event, IReadOnlyList<IntakeError> Errors);

/// <summary>Streams CDEvents from a file: one JSON value, a JSON array, or JSON lines (any sequence of values).</summary>
/// <remarks>Items are read one at a time, so files of any size use flat memory. The stream must be seekable.</remarks>
public static class EventFileReader
{
    private static readonly JsonSerializerOptions Options = new() { MaxDepth = EventBatchReader.MaxDepth };

    /// <summary>Reads every item of <paramref name="stream"/>, checked as <c>POST /api/events</c> checks it.</summary>
    /// <exception cref="JsonException">The text is not JSON; the message gives line and byte position (both from 0).</exception>
    public static async IAsyncEnumerable<FileItem> ReadAsync(Stream stream, string origin, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var isArray = StartsWithArray(stream);
        var items = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, topLevelValues: !isArray, Options, cancellationToken);
        var index = 0;
        await foreach (var item in items)
        {
            var errors = new List<IntakeError>();
            var draft = EventBatchReader.ReadItem(item, index, origin, errors);
            yield return new FileItem(index++, draft, errors);
        }
    }

    private static bool StartsWithArray(Stream stream)
    {
        var start = stream.Position;
        int next;
        do
        {
            next = stream.ReadByte();
        }
        while (next is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);

        stream.Position = start;
        return next == '[';
    }
}

using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Throughline.Simulation;

/// <summary>The tools of the simulated organisation, each with its own event source and clock skew.</summary>
internal enum SimulatedTool
{
    GitHub,
    Actions,
    ArgoCd,
    Jira,
    PagerDuty,
}

/// <summary>Renders CDEvents (spec 0.5.1) as compact JSON, one per line, with a fixed property order.</summary>
internal sealed class CdEventJson
{
    public const string SpecVersion = "0.5.1";
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public CdEventJson() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>One event as UTF-8 JSON.</summary>
    /// <param name="id">context.id.</param>
    /// <param name="source">context.source and subject.source.</param>
    /// <param name="type">The full CDEvents type.</param>
    /// <param name="timestamp">context.timestamp, as the tool's clock read it.</param>
    /// <param name="chainId">context.chainId linking the events of one change's journey, or null.</param>
    /// <param name="subjectId">subject.id.</param>
    /// <param name="content">Writes the properties of subject.content.</param>
    /// <param name="customData">Writes the properties of customData, or null for none.</param>
    public byte[] Render(
        string id, string source, string type, DateTimeOffset timestamp, string? chainId, string subjectId,
        Action<Utf8JsonWriter> content, Action<Utf8JsonWriter>? customData = null)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteStartObject("context");
        _writer.WriteString("specversion", SpecVersion);
        _writer.WriteString("id", id);
        _writer.WriteString("source", source);
        _writer.WriteString("type", type);
        _writer.WriteString("timestamp", Format(timestamp));
        if (chainId is not null)
        {
            _writer.WriteString("chainId", chainId);
        }

        _writer.WriteEndObject();
        _writer.WriteStartObject("subject");
        _writer.WriteString("id", subjectId);
        _writer.WriteString("source", source);
        _writer.WriteStartObject("content");
        content(_writer);
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        if (customData is not null)
        {
            _writer.WriteStartObject("customData");
            customData(_writer);
            _writer.WriteEndObject();
        }

        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>RFC 3339 in UTC with milliseconds, the same on every machine.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>{"id": ..., "source": ...}</c> under <paramref name="name"/>.</summary>
    public static void Reference(Utf8JsonWriter writer, string name, string id, string? source = null)
    {
        writer.WriteStartObject(name);
        writer.WriteString("id", id);
        if (source is not null)
        {
            writer.WriteString("source", source);
        }

        writer.WriteEndObject();
    }
}

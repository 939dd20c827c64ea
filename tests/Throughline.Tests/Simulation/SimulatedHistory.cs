using System.Text.Json;
using Throughline.Simulation;

namespace Throughline.Tests.Simulation;

/// <summary>A simulated history read back as the events a user would receive, for property checks.</summary>
public sealed record SimulatedHistory(IReadOnlyList<string> Lines, IReadOnlyList<HistoryEvent> Events)
{
    public static async Task<SimulatedHistory> CreateAsync(SimulationOptions options)
    {
        using var stream = new MemoryStream();
        await HistoryFile.WriteAsync(options, stream, null, TestContext.Current.CancellationToken);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new SimulatedHistory(lines, lines.Select(HistoryEvent.Parse).ToList());
    }

    /// <summary>Each event once (duplicate deliveries removed), in timestamp order.</summary>
    public IReadOnlyList<HistoryEvent> Distinct() => Events.DistinctBy(e => (e.Source, e.Id)).OrderBy(e => e.Timestamp).ToList();

    public IEnumerable<HistoryEvent> OfType(string subjectAndPredicate) => Distinct().Where(e => e.Type.StartsWith($"dev.cdevents.{subjectAndPredicate}.", StringComparison.Ordinal));
}

public sealed record HistoryEvent(string Id, string Source, string Type, DateTimeOffset Timestamp, string? ChainId, string SubjectId, JsonElement Content, JsonElement? CustomData)
{
    public static HistoryEvent Parse(string line)
    {
        var root = JsonDocument.Parse(line).RootElement;
        var context = root.GetProperty("context");
        var subject = root.GetProperty("subject");
        return new HistoryEvent(
            context.GetProperty("id").GetString()!,
            context.GetProperty("source").GetString()!,
            context.GetProperty("type").GetString()!,
            context.GetProperty("timestamp").GetDateTimeOffset(),
            context.TryGetProperty("chainId", out var chain) ? chain.GetString() : null,
            subject.GetProperty("id").GetString()!,
            subject.GetProperty("content"),
            root.TryGetProperty("customData", out var custom) ? custom : null);
    }

    public string? Text(params string[] path)
    {
        var element = Content;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.GetString();
    }
}

using Throughline.Model;
using Throughline.Simulation;

namespace Throughline.Bench.Ingest;

/// <summary>The input of the B1 benchmarks: the first events of a simulated history, as JSON lines and as HTTP-sized batches.</summary>
/// <param name="Lines">The events as JSON lines, one per line, as <c>throughline simulate</c> writes them.</param>
/// <param name="Batches">The same events as JSON array bodies of at most <see cref="IngestData.BatchSize"/>, as <c>throughline emit</c> posts them.</param>
/// <param name="Model">The operating model of the simulated organisation.</param>
internal sealed record IngestData(byte[] Lines, IReadOnlyList<byte[]> Batches, OperatingModel Model)
{
    /// <summary>Events per request, as <c>throughline emit</c> sends them.</summary>
    public const int BatchSize = 1_000;

    /// <summary>Same seed, same events: about 15,000 events over 30 days, of which the first <c>events</c> are taken.</summary>
    private static readonly SimulationOptions Options = new() { Seed = 9, Days = 30, ChangesPerDay = 50, Services = 12, Teams = 8 };

    /// <summary>Simulates the history and keeps its first <paramref name="events"/> events.</summary>
    public static async Task<IngestData> CreateAsync(int events, CancellationToken cancellationToken)
    {
        using var history = new MemoryStream();
        await HistoryFile.WriteAsync(Options, history, null, cancellationToken);
        var lines = history.ToArray().AsMemory();
        var kept = new List<ReadOnlyMemory<byte>>(events);
        while (kept.Count < events && !lines.IsEmpty)
        {
            var end = lines.Span.IndexOf((byte)'\n');
            kept.Add(lines[..end]);
            lines = lines[(end + 1)..];
        }

        if (kept.Count < events)
        {
            throw new InvalidOperationException($"The simulated history holds {kept.Count:N0} events, fewer than the {events:N0} asked for.");
        }

        var model = OperatingModelLoader.LoadText(ModelWriter.Write(SimulatedOrganisation.Create(Options), Options), "bench.yaml").Model
            ?? throw new InvalidOperationException("The simulated organisation's operating model does not load.");
        return new IngestData(Join(kept, "", "\n", "\n"), [.. kept.Chunk(BatchSize).Select(batch => Join(batch, "[", ",", "]"))], model);
    }

    private static byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> items, string open, string separator, string close)
    {
        using var output = new MemoryStream();
        output.Write(System.Text.Encoding.UTF8.GetBytes(open));
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                output.Write(System.Text.Encoding.UTF8.GetBytes(separator));
            }

            output.Write(items[i].Span);
        }

        output.Write(System.Text.Encoding.UTF8.GetBytes(close));
        return output.ToArray();
    }
}

using BenchmarkDotNet.Attributes;
using Throughline.Intake;
using Throughline.Storage;
using Throughline.Timeline;

namespace Throughline.Bench.Ingest;

/// <summary>
/// B1: the in-process ingest hot paths over 10,000 simulated events, from bytes to a durable SQLite file and an up-to-date
/// timeline. Each operation is one event (<see cref="Events"/> per invocation), so Mean is the time per event and
/// Allocated the bytes allocated per event.
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    /// <summary>Events handled by one invocation of each benchmark.</summary>
    public const int Events = 10_000;

    private static readonly Dictionary<string, string> NoHeaders = [];
    private IngestData? _data;
    private string _folder = "";
    private IEventStore? _store;
    private TimelineProjection? _projection;

    private IngestData Data => _data ?? throw new InvalidOperationException("GlobalSetup has not run.");

    [GlobalSetup]
    public void CreateEvents()
    {
        _data = IngestData.CreateAsync(Events, CancellationToken.None).GetAwaiter().GetResult();
        _folder = Directory.CreateTempSubdirectory("throughline-b1-").FullName;
    }

    [GlobalCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    /// <summary>A fresh, migrated SQLite file (and a fresh timeline over it) for each iteration, outside the measured time.</summary>
    [IterationSetup(Targets = [nameof(ParseAndStore), nameof(ParseStoreAndCorrelate)])]
    public void OpenStore()
    {
        var path = Path.Combine(_folder, $"ingest-{Guid.NewGuid():N}.db");
        _store = EventStoreFactory.OpenAsync(path, CancellationToken.None).GetAwaiter().GetResult();
        _projection = new TimelineProjection(_store, Data.Model, TimeProvider.System);
    }

    [IterationCleanup(Targets = [nameof(ParseAndStore), nameof(ParseStoreAndCorrelate)])]
    public void CloseStore()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store = null;
        _projection = null;
        foreach (var file in Directory.EnumerateFiles(_folder))
        {
            File.Delete(file);
        }
    }

    /// <summary>(a) JSON lines through <see cref="EventFileReader"/>, as <c>throughline ingest</c> reads a file.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> ParseLines()
    {
        using var stream = new MemoryStream(Data.Lines, writable: false);
        var events = 0;
        await foreach (var item in EventFileReader.ReadAsync(stream, "cli", CancellationToken.None))
        {
            events += item.Event is null ? 0 : 1;
        }

        return Checked(events);
    }

    /// <summary>(a) JSON array bodies of 1,000 through <see cref="EventBatchReader"/>, as <c>POST /api/events</c> reads them.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public int ParseBatches()
    {
        var events = 0;
        foreach (var body in Data.Batches)
        {
            events += Read(body).Events.Count;
        }

        return Checked(events);
    }

    /// <summary>(b) Each body parsed, then stored durably in one transaction, as <c>POST /api/events</c> does.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> ParseAndStore()
    {
        var events = 0;
        foreach (var body in Data.Batches)
        {
            var batch = Read(body);
            var stored = await _store!.AppendAsync(batch.Events, TimeProvider.System.GetUtcNow(), CancellationToken.None);
            events += stored.Accepted + stored.Duplicates;
        }

        return Checked(events);
    }

    /// <summary>(c) As (b), and the timeline caught up after each batch, as the server's updater does when it keeps up.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> ParseStoreAndCorrelate()
    {
        var events = 0;
        foreach (var body in Data.Batches)
        {
            var batch = Read(body);
            var stored = await _store!.AppendAsync(batch.Events, TimeProvider.System.GetUtcNow(), CancellationToken.None);
            events += stored.Accepted + stored.Duplicates;
            await _projection!.CatchUpAsync(CancellationToken.None);
        }

        return Checked(events);
    }

    private static EventBatch Read(byte[] body)
    {
        var batch = EventBatchReader.Read(body, "application/json", NoHeaders, "api");
        return batch.IsValid ? batch : throw new InvalidOperationException($"A simulated batch was refused: {batch.Errors[0]}");
    }

    /// <summary>A benchmark that handled fewer events than it claims would report a rate it did not reach.</summary>
    private static int Checked(int events) =>
        events == Events ? events : throw new InvalidOperationException($"Handled {events:N0} events, expected {Events:N0}.");
}

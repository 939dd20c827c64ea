using Throughline.Intake;
using Throughline.Model;
using Throughline.Simulation;
using Throughline.Storage;

namespace Throughline.Tests.Support;

/// <summary>A simulated organisation as tests use it: its operating model, and its history as events ready to store.</summary>
public static class Simulated
{
    public static OperatingModel Model(SimulationOptions options) =>
        OperatingModelLoader.LoadText(ModelWriter.Write(SimulatedOrganisation.Create(options), options), "simulated.yaml").Model
        ?? throw new InvalidOperationException("the simulated organisation's model is invalid");

    /// <summary>The history <paramref name="options"/> describe, read back as a user's <c>ingest</c> would read it.</summary>
    public static async Task<List<EventDraft>> EventsAsync(SimulationOptions options, CancellationToken cancellationToken, string origin = "test")
    {
        using var history = new MemoryStream();
        await HistoryFile.WriteAsync(options, history, null, cancellationToken);
        history.Position = 0;
        var drafts = new List<EventDraft>();
        await foreach (var item in EventFileReader.ReadAsync(history, origin, cancellationToken))
        {
            drafts.Add(item.Event!);
        }

        return drafts;
    }
}

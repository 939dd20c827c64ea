namespace Throughline.Simulation;

/// <summary>Writes a simulated history as JSON lines, streaming, with progress.</summary>
public static class HistoryFile
{
    /// <summary>What <see cref="WriteAsync"/> wrote.</summary>
    /// <param name="Events">Lines written, duplicate deliveries included.</param>
    /// <param name="Changes">Changes opened.</param>
    /// <param name="Bytes">Size of the file.</param>
    /// <param name="Truth">What the options injected into the history (a bottleneck, a self-approving team); null when nothing.</param>
    public sealed record Summary(long Events, long Changes, long Bytes, SimulationTruth? Truth);

    /// <summary>Simulates <see cref="SimulationOptions.Days"/> days and writes every event that arrives within them to <paramref name="output"/>.</summary>
    /// <param name="options">The organisation and period.</param>
    /// <param name="output">Receives one CDEvent per line (UTF-8, <c>\n</c> endings).</param>
    /// <param name="progress">Called about once per simulated day with the day number (from 1).</param>
    /// <param name="cancellationToken">Stops between days.</param>
    public static async Task<Summary> WriteAsync(SimulationOptions options, Stream output, Func<int, long, Task>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var organisation = SimulatedOrganisation.Create(options);
        var simulator = new HistorySimulator(options, organisation);
        long lines = 0, bytes = 0;
        for (var day = 1; day <= options.Days; day++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var simulated in simulator.RunUntil(simulator.Start.AddDays(day)))
            {
                await output.WriteAsync(simulated.Json, cancellationToken);
                output.WriteByte((byte)'\n');
                lines++;
                bytes += simulated.Json.Length + 1;
            }

            if (progress is not null)
            {
                await progress(day, lines);
            }
        }

        await output.FlushAsync(cancellationToken);
        return new Summary(lines, simulator.ChangesOpened, bytes, simulator.Truth());
    }
}

using Throughline.Simulation;
using Throughline.Storage;

namespace Throughline.Web.Demo;

/// <summary>Settings of the live part of <c>throughline demo</c>.</summary>
/// <param name="Simulator">The simulation, already run up to where the live feed begins.</param>
/// <param name="Clock">The demo's clock: the simulated present until the feed reaches the real one.</param>
internal sealed record DemoSettings(HistorySimulator Simulator, DemoClock Clock);

/// <summary>Keeps the demo organisation alive: advances the simulation with the clock and stores what its tools emit.</summary>
internal sealed partial class DemoFeed(DemoSettings settings, IEventStore store, ILogger<DemoFeed> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = settings.Clock;
        clock.Start();
        List<EventDraft> pending = [];
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = clock.GetUtcNow();
                // Events that could not be stored last time are kept and sent first: the feed loses nothing.
                pending.AddRange(SimulatedEventReader.ToDrafts(settings.Simulator.RunUntil(now), "demo"));
                if (pending.Count > 0)
                {
                    var stored = await store.AppendAsync(pending, now, stoppingToken);
                    pending = [];
                    Log.Fed(logger, stored.Accepted, settings.Simulator.Clock);
                }

                await Task.Delay(Tick, clock.Real, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientFailures.Include(exception))
            {
                Log.FeedFailed(logger, exception);
                await Task.Delay(RetryDelay, clock.Real, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Demo feed stored {Count} events; the simulation is at {Clock}")]
        public static partial void Fed(ILogger logger, int count, DateTimeOffset clock);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed could not store events; retrying")]
        public static partial void FeedFailed(ILogger logger, Exception exception);
    }
}

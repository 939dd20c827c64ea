using Throughline.Board;
using Throughline.Metrics;
using Throughline.Web.ModelReload;

namespace Throughline.Web.Projection;

/// <summary>Tails the event store for the timeline projection, so new events show within a second.</summary>
/// <remarks>Once the first snapshot is built (start-up reads the whole store), the organisation-wide metrics and the board
/// are derived in the background, so that the first person to open them does not wait for it.</remarks>
internal sealed partial class TimelineUpdater(ModelInForce models, TimeProvider time, ILogger<TimelineUpdater> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var warmed = false;
        long unreadable = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = time.GetTimestamp();
                var projection = models.Current.Projection;
                var changed = await projection.CatchUpAsync(stoppingToken);
                if (projection.Unreadable is { Count: > 0 } skipped && skipped.Count != unreadable)
                {
                    unreadable = skipped.Count;
                    Log.Unreadable(logger, skipped.Count, skipped.Events[^1].ToString());
                }

                if (changed)
                {
                    Log.Updated(logger, projection.Current.Changes.Count, projection.Watermark, time.GetElapsedTime(started).TotalMilliseconds);
                    if (!warmed)
                    {
                        warmed = true;
                        _ = Task.Run(Warm, stoppingToken);
                    }
                }

                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientFailures.Include(exception))
            {
                Log.Failed(logger, exception);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    /// <summary>Derives what the organisation-wide questions need from the current snapshot; each partition keeps its part.</summary>
    private void Warm()
    {
        var started = time.GetTimestamp();
        var projection = models.Current.Projection;
        var snapshot = projection.Current;
        var query = MetricsQuery.LastThirtyDays(time.GetUtcNow());
        MetricsAnswers.Dora(snapshot, projection.Model, query, null, false, projection.Unmapped);
        MetricsAnswers.Flow(snapshot, projection.Model, query, projection.Unmapped);
        ReleaseBoardBuilder.Build(snapshot, projection.Model, time.GetUtcNow());
        Log.Warmed(logger, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Organisation-wide metrics and the board derived from the first snapshot in {Milliseconds:F0} ms")]
        public static partial void Warmed(ILogger logger, double milliseconds);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Timeline rebuilt: {Changes} changes up to event {Watermark} in {Milliseconds:F0} ms")]
        public static partial void Updated(ILogger logger, int changes, long watermark, double milliseconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} stored events cannot be read and are left out of the timeline (GET /api/timeline lists them); the last one kept: {Row}")]
        public static partial void Unreadable(ILogger logger, long count, string row);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Timeline could not read new events; retrying")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}

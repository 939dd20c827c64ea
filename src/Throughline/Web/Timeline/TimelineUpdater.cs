using Throughline.Timeline;

namespace Throughline.Web.Timeline;

/// <summary>Tails the event store for the timeline projection, so new events show within a second.</summary>
internal sealed partial class TimelineUpdater(TimelineProjection projection, TimeProvider time, ILogger<TimelineUpdater> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = time.GetTimestamp();
                if (await projection.CatchUpAsync(stoppingToken))
                {
                    Log.Updated(logger, projection.Current.Changes.Count, projection.Watermark, time.GetElapsedTime(started).TotalMilliseconds);
                }

                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException)
            {
                Log.Failed(logger, exception);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Timeline rebuilt: {Changes} changes up to event {Watermark} in {Milliseconds:F0} ms")]
        public static partial void Updated(ILogger logger, int changes, long watermark, double milliseconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Timeline could not read new events; retrying")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}

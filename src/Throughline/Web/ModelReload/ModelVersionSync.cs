using Throughline.Storage;

namespace Throughline.Web.ModelReload;

/// <summary>Records the model the server started with as a version, and on PostgreSQL follows the latest stored version.</summary>
/// <remarks>
/// Several nodes on one PostgreSQL database agree on the model in force: it is the latest stored version. A node that loads a
/// new model stores it (<see cref="ModelReloader"/>); the others see it within <see cref="PollInterval"/> and load it, validated
/// as their own. A version this node refuses (a secret it lacks) is tried again only once a newer one is stored.
/// </remarks>
internal sealed partial class ModelVersionSync(
    ModelInForce models, ModelReloader reloader, IEventStore store, TimeProvider time, ILogger<ModelVersionSync> logger) : BackgroundService
{
    /// <summary>How often the versions table is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var follow = store.Provider == "postgres";
        var recorded = false;
        long tried = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!recorded)
                {
                    var current = models.Current;
                    if (current is { Yaml: { } yaml, Hash: { } hash, Origin: { } origin })
                    {
                        await store.RecordModelVersionAsync(yaml, hash, time.GetUtcNow(), origin, stoppingToken);
                    }

                    recorded = true;
                }

                if (!follow)
                {
                    return;
                }

                if (await store.LatestModelVersionAsync(stoppingToken) is { } latest && latest.Hash != models.Current.Hash && latest.Number != tried
                    && await store.FindModelVersionAsync(latest.Number, stoppingToken) is { } stored)
                {
                    tried = latest.Number;
                    Log.Following(logger, latest.Number, latest.Origin);
                    await reloader.ReloadTextAsync(stored.Yaml, $"version {latest.Number}", $"version {latest.Number}", null, stoppingToken);
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

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Another node put model version {Number} in force ({Origin}); loading it")]
        public static partial void Following(ILogger logger, long number, string origin);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The stored model versions could not be read or written; retrying")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}

using System.Runtime.InteropServices;

namespace Throughline.Web.ModelReload;

/// <summary>Reloads the model file when its content changes (polled, debounced) and when the process receives SIGHUP.</summary>
/// <remarks>
/// Polling the file's hash survives what editors do (write in place, or write a new file and rename it over the old one),
/// where file-system events are missed or doubled. A change is applied once the file has held the same content for two
/// polls in a row, so a half-written file is not loaded. A refused file is not tried again until it changes.
/// </remarks>
internal sealed partial class ModelFileWatcher(ModelReloader reloader, ModelSource source, TimeProvider time, ILogger<ModelFileWatcher> logger)
    : BackgroundService
{
    /// <summary>How often the file is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private volatile TaskCompletionSource _hangup = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (source.Path is not { } path)
        {
            return;
        }

        using var signal = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // Handled: SIGHUP's default would end the process.
            context.Cancel = true;
            _hangup.TrySetResult();
        });
        var seen = ModelSource.Fingerprint(path, source.Options.MaxFileBytes);
        string? pending = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var hangup = _hangup.Task;
                await Task.WhenAny(hangup, Task.Delay(PollInterval, time, stoppingToken));
                stoppingToken.ThrowIfCancellationRequested();
                if (hangup.IsCompleted)
                {
                    _hangup = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    Log.Hangup(logger, path);
                    seen = ModelSource.Fingerprint(path, source.Options.MaxFileBytes);
                    await reloader.ReloadFileAsync(path, "signal", stoppingToken);
                    continue;
                }

                var now = ModelSource.Fingerprint(path, source.Options.MaxFileBytes);
                if (now is null || now == seen)
                {
                    pending = null;
                }
                else if (now != pending)
                {
                    pending = now;
                }
                else
                {
                    (seen, pending) = (now, null);
                    await reloader.ReloadFileAsync(path, $"file {path}", stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientFailures.Include(exception))
            {
                Log.Failed(logger, exception);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP: reading the operating model {Path} again")]
        public static partial void Hangup(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The operating model could not be reloaded; the running one stays")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}

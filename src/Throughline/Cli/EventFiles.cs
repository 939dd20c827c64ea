using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Throughline.Intake;
using Throughline.Storage;

namespace Throughline.Cli;

/// <summary>Reads CDEvent files for <c>ingest</c> and <c>emit</c>: checks everything first, then streams batches.</summary>
/// <remarks>Standard input (<c>-</c>) is copied to a temporary file so it can be read twice.</remarks>
internal sealed class EventFiles : IAsyncDisposable
{
    private const int MaxErrorsShown = 20;
    private readonly List<(string Name, string Path)> _files = [];
    private string? _stdinCopy;

    private EventFiles()
    {
    }

    public static async Task<EventFiles?> OpenAsync(IReadOnlyList<string> names, Console console, CancellationToken cancellationToken)
    {
        var files = new EventFiles();
        foreach (var name in names)
        {
            if (name == "-")
            {
                files._stdinCopy ??= Path.GetTempFileName();
                await using (var copy = File.Create(files._stdinCopy))
                {
                    await global::System.Console.OpenStandardInput().CopyToAsync(copy, cancellationToken);
                }

                files._files.Add(("<stdin>", files._stdinCopy));
            }
            else if (!File.Exists(name))
            {
                await console.Error.WriteLineAsync($"{name}: error: no such file");
                await files.DisposeAsync();
                return null;
            }
            else
            {
                files._files.Add((name, name));
            }
        }

        return files;
    }

    /// <summary>Checks every item of every file; prints each problem as <c>FILE: item N: FIELD: REASON</c>.</summary>
    /// <returns>The number of events, or null when any item is invalid.</returns>
    public async Task<long?> CheckAsync(Console console, CancellationToken cancellationToken)
    {
        long events = 0;
        var problems = 0;
        foreach (var (name, path) in _files)
        {
            try
            {
                await using var stream = File.OpenRead(path);
                await foreach (var item in EventFileReader.ReadAsync(stream, "cli", cancellationToken))
                {
                    events++;
                    foreach (var error in item.Errors)
                    {
                        if (++problems <= MaxErrorsShown)
                        {
                            await console.Error.WriteLineAsync($"{name}: error: {error}");
                        }
                    }
                }
            }
            catch (JsonException exception)
            {
                problems++;
                var where = exception.LineNumber is { } line ? $"{name}:{line + 1}:{exception.BytePositionInLine + 1}" : name;
                await console.Error.WriteLineAsync($"{where}: error: not valid JSON: {exception.Message}");
            }
        }

        if (problems > MaxErrorsShown)
        {
            await console.Error.WriteLineAsync($"... and {problems - MaxErrorsShown} more problems.");
        }

        if (problems > 0)
        {
            await console.Error.WriteLineAsync($"Nothing was stored or sent: {problems} problem(s) must be fixed first.");
            return null;
        }

        return events;
    }

    /// <summary>The events of every file, in batches of at most <paramref name="size"/>, after <see cref="CheckAsync"/> passed.</summary>
    public async IAsyncEnumerable<IReadOnlyList<EventDraft>> BatchesAsync(int size, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<EventDraft>(size);
        foreach (var (_, path) in _files)
        {
            await using var stream = File.OpenRead(path);
            await foreach (var item in EventFileReader.ReadAsync(stream, "cli", cancellationToken))
            {
                batch.Add(item.Event ?? throw new InvalidOperationException($"Item {item.Index} of {path} changed after it was checked."));
                if (batch.Count == size)
                {
                    yield return batch;
                    batch = new List<EventDraft>(size);
                }
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_stdinCopy is not null)
        {
            File.Delete(_stdinCopy);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A progress line on stderr at most once a second, for long files.</summary>
internal sealed class ProgressLine(Console console, string verb, long total)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastShown;

    public TimeSpan Elapsed => _clock.Elapsed;

    public async Task ReportAsync(long done)
    {
        if (_clock.Elapsed - _lastShown < Interval)
        {
            return;
        }

        _lastShown = _clock.Elapsed;
        var rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        await console.Error.WriteLineAsync($"{verb}: {done:N0} of {total:N0} events ({100.0 * done / Math.Max(total, 1):F0}%, {rate:N0}/s)");
    }
}
